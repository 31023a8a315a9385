package dev.mtlj.model;

import org.bytedeco.pytorch.Module;

/** Builds the backbone a spec describes (the model and MMoE's experts share this). */
final class Backbones {
    private Backbones() {}

    static Module create(BackboneSpec spec, long[] exampleShape) {
        if (spec instanceof CnnSpec c) {
            return new CnnBackbone(c, exampleShape);
        }
        if (spec instanceof ResNetSpec r) {
            return new ResNetBackbone(r, exampleShape);
        }
        if (spec instanceof TorchScriptSpec t) {
            return new TorchScriptBackbone(t, exampleShape);
        }
        return new MlpBackbone((MlpSpec) spec, exampleShape);
    }
}
