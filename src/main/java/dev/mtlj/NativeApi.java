package dev.mtlj;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public type or member whose signature uses libtorch (JavaCPP) types: the extension points where users
 * write libtorch code themselves (backbones, architectures, row aggregators) and the plumbing mtlj's own packages
 * share. The rest of the public API uses mtlj's own types only ({@code DeviceSpec}, {@code DType}, Java arrays);
 * {@code PublicApiTest} holds that line. See docs/api.md.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface NativeApi {}
