package dev.mtlj.model;

import java.util.Collections;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Hard parameter sharing (R. Caruana, "Multitask Learning: A Knowledge-Based Source of Inductive Bias",
 * ICML 1993): every head reads the backbone's output. Shared parameters = the backbone's.
 */
final class HardSharing implements Sharing {
    private final Backbone backbone;
    private final int tasks;

    public HardSharing(Backbone backbone, int tasks) {
        this.backbone = backbone;
        this.tasks = tasks;
    }

    @Override
    public Tensor encode(Tensor x) {
        return backbone.forward(x);
    }

    @Override
    public List<Tensor> route(Tensor representation, Tensor x) {
        return Collections.nCopies(tasks, representation);
    }

    @Override
    public long[] taskFeatureShape(int task) {
        return backbone.outputShape();
    }

    @Override
    public TensorVector sharedParameters() {
        return backbone.module().parameters();
    }

    @Override
    public Tensor lastSharedWeight() {
        return backbone.lastLayerWeight();
    }
}
