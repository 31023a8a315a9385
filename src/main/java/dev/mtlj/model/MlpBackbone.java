package dev.mtlj.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/** {@link MlpSpec} as a module. Owned by the {@link MultiTaskModel} that registers it. */
final class MlpBackbone extends Module implements Backbone {
    private final SequentialImpl layers;
    private final Tensor lastWeight;
    private final long width;
    private final List<Pointer> owned = new ArrayList<>();

    public MlpBackbone(MlpSpec spec, long[] exampleShape) {
        super("MlpBackbone");
        try (PointerScope scope = new PointerScope()) { // frees builder temporaries; the sequential keeps its layers
            SequentialImpl seq = new SequentialImpl();
            lastWeight = Layers.hidden(seq, "", Layers.product(exampleShape), spec.hidden(), spec.dropout(), owned)
                    .weight();
            layers = register_module("layers", seq).retainReference();
        }
        width = spec.hidden().get(spec.hidden().size() - 1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x.dim() > 2 ? x.flatten(1, -1) : x);
    }

    @Override
    public long[] outputShape() {
        return new long[] {width};
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public void close() {
        layers.close();
        Layers.closeAll(owned);
        super.close();
    }

    @Override
    public Tensor lastLayerWeight() {
        return lastWeight;
    }
}
