package dev.mtlj.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.NativeApi;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API speaks mtlj's types: no public or protected member of a public class mentions a libtorch (JavaCPP)
 * type unless it, or its class, is marked {@link NativeApi} — the deliberate extension points and plumbing listed in
 * docs/api.md. Also writes the list of public API types the docs quote.
 */
class PublicApiTest {
    static List<Class<?>> publicClasses() throws IOException, ClassNotFoundException {
        Path root = Path.of("target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/mtlj"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = root.relativize(f).toString();
                if (!name.endsWith(".class") || name.contains("$$")) {
                    continue;
                }
                Class<?> c = Class.forName(
                        name.substring(0, name.length() - 6).replace('/', '.'),
                        false,
                        PublicApiTest.class.getClassLoader());
                if (isPublic(c) && !c.isSynthetic() && !c.isAnonymousClass()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean marked(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (k.isAnnotationPresent(NativeApi.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nativeType(Type t) {
        return t.getTypeName().contains("org.bytedeco");
    }

    @Test
    void noLibtorchTypeOutsideNativeApi() throws Exception {
        TreeSet<String> leaks = new TreeSet<>();
        List<Class<?>> classes = publicClasses();
        assertThat(classes).hasSizeGreaterThan(50);
        for (Class<?> c : classes) {
            if (marked(c)) {
                continue;
            }
            if (nativeType(c.getGenericSuperclass() == null ? Object.class : c.getGenericSuperclass())) {
                leaks.add(c.getName() + " extends " + c.getGenericSuperclass().getTypeName());
            }
            List<Member> members = new ArrayList<>();
            members.addAll(List.of(c.getDeclaredMethods()));
            members.addAll(List.of(c.getDeclaredConstructors()));
            members.addAll(List.of(c.getDeclaredFields()));
            for (Member m : members) {
                int mod = m.getModifiers();
                if (!(Modifier.isPublic(mod) || Modifier.isProtected(mod))
                        || m.isSynthetic()
                        || ((java.lang.reflect.AnnotatedElement) m).isAnnotationPresent(NativeApi.class)) {
                    continue;
                }
                List<Type> types = new ArrayList<>();
                if (m instanceof Method method) {
                    types.add(method.getGenericReturnType());
                }
                if (m instanceof Executable e) {
                    types.addAll(List.of(e.getGenericParameterTypes()));
                }
                if (m instanceof Field f) {
                    types.add(f.getGenericType());
                }
                for (Type t : types) {
                    if (nativeType(t)) {
                        leaks.add(c.getName() + "." + (m instanceof Constructor<?> ? "<init>" : m.getName()) + ": "
                                + t.getTypeName());
                    }
                }
            }
        }
        assertThat(leaks)
                .as("public members using libtorch types without @NativeApi")
                .isEmpty();
    }
}
