package dev.mtlj.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The shared trunk of a multi-task model: maps a batch of examples to a representation.
 * Implementations are libtorch modules; their parameters are the model's shared parameters.
 */
@dev.mtlj.NativeApi
public interface Backbone {
    /** [B, ...example shape] → [B, ...{@link #outputShape()}]. */
    Tensor forward(Tensor x);

    /** Per-example shape of the representation. */
    long[] outputShape();

    /** The module holding the parameters (borrowed). */
    Module module();

    /**
     * The weight of the last parametrised layer (GradNorm's "last shared layer"); a borrowed handle valid while
     * the model lives.
     */
    Tensor lastLayerWeight();
}
