package dev.mtlj.model;

import dev.mtlj.UserInputException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.FlattenImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/** {@link CnnSpec} as a module; input examples are [C, H, W]. Owned by the registering {@link MultiTaskModel}. */
final class CnnBackbone extends Module implements Backbone {
    private final SequentialImpl layers;
    private final Tensor lastWeight;
    private final long[] outputShape;
    private final List<Pointer> owned = new ArrayList<>();

    public CnnBackbone(CnnSpec spec, long[] exampleShape) {
        super("CnnBackbone");
        Specs.requireImage("cnn", exampleShape);
        long channels = exampleShape[0];
        long h = exampleShape[1];
        long w = exampleShape[2];
        Tensor weight = null;
        long flat;
        try (PointerScope scope = new PointerScope()) { // frees builder temporaries; the sequential keeps its layers
            SequentialImpl seq = new SequentialImpl();
            for (int i = 0; i < spec.channels().size(); i++) {
                if (h < 2 || w < 2) {
                    throw new UserInputException(
                            "the cnn backbone's " + spec.channels().size() + " pooling blocks shrink " + exampleShape[1]
                                    + "x" + exampleShape[2] + " images below 1x1; use fewer channels entries");
                }
                long out = spec.channels().get(i);
                Conv2dOptions o = new Conv2dOptions(channels, out, new LongPointer(spec.kernel(), spec.kernel()));
                o.padding().put(new LongPointer((long) spec.kernel() / 2, (long) spec.kernel() / 2));
                Conv2dImpl conv = Layers.keep(new Conv2dImpl(o), owned);
                seq.push_back("conv" + i, conv);
                weight = conv.weight();
                if (spec.batchNorm()) {
                    seq.push_back("bn" + i, Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
                }
                seq.push_back("relu" + i, Layers.keep(new ReLUImpl(), owned));
                seq.push_back("pool" + i, Layers.keep(new MaxPool2dImpl(new LongPointer(2L, 2L)), owned));
                channels = out;
                h /= 2;
                w /= 2;
            }
            seq.push_back("flatten", Layers.keep(new FlattenImpl(), owned));
            flat = channels * h * w;
            LinearImpl fc = Layers.hidden(seq, "dense_", flat, spec.hidden(), spec.dropout(), owned);
            if (fc != null) {
                weight = fc.weight();
            }
            layers = register_module("layers", seq).retainReference();
        }
        lastWeight = weight;
        outputShape = new long[] {
            spec.hidden().isEmpty() ? flat : spec.hidden().get(spec.hidden().size() - 1)
        };
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
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
