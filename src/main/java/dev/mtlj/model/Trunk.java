package dev.mtlj.model;

import dev.mtlj.NativeApi;
import org.bytedeco.pytorch.Module;

/**
 * What an architecture builds for a model: the module holding its shared parts (registered on the model under
 * {@code name}, which prefixes its parameter names in checkpoints) and the {@link Sharing} seam the heads read from.
 *
 * @param name    registration name: {@code backbone}, {@code mmoe}, {@code ple}, {@code cross_stitch}, {@code mtan}
 * @param module  the module to register; owned by the model from then on
 * @param sharing how tasks read the shared parts (often the module itself)
 */
@NativeApi
public record Trunk(String name, Module module, Sharing sharing) {}
