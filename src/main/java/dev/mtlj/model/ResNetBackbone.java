package dev.mtlj.model;

import dev.mtlj.UserInputException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * {@link ResNetSpec} as a module: stem conv3×3 → BN → ReLU, then per stage {@code blocks} {@link ResidualBlock}s (the
 * first of every stage after the first with stride 2), global average pooling, optional fully connected layers.
 * [B, C, H, W] → [B, channels_last] (or the last hidden width). Owned by the registering {@link MultiTaskModel}.
 */
final class ResNetBackbone extends Module implements Backbone {
    private final SequentialImpl stem;
    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final SequentialImpl head;
    private final Tensor lastWeight;
    private final long[] outputShape;
    private final List<Pointer> owned = new ArrayList<>();

    public ResNetBackbone(ResNetSpec spec, long[] exampleShape) {
        super("ResNetBackbone");
        Specs.requireImage("resnet", exampleShape);
        long h = exampleShape[1];
        long w = exampleShape[2];
        if ((h >> (spec.channels().size() - 1)) < 1 || (w >> (spec.channels().size() - 1)) < 1) {
            throw new UserInputException("the resnet backbone's "
                    + spec.channels().size() + " stages halve " + h + "x" + w + " images below 1x1; use fewer stages");
        }
        Tensor weight;
        try (PointerScope scope = new PointerScope()) {
            long first = spec.channels().get(0);
            SequentialImpl s = Layers.keep(new SequentialImpl(), owned);
            s.push_back("conv", ResidualBlock.conv(exampleShape[0], first, 3, 1, owned));
            s.push_back("bn", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(first)), owned));
            s.push_back("relu", Layers.keep(new ReLUImpl(), owned));
            stem = register_module("stem", s);
            long in = first;
            for (int stage = 0; stage < spec.channels().size(); stage++) {
                long out = spec.channels().get(stage);
                for (int b = 0; b < spec.blocks(); b++) {
                    long stride = stage > 0 && b == 0 ? 2 : 1;
                    ResidualBlock block = Layers.keep(new ResidualBlock(in, out, stride, owned), owned);
                    blocks.add(register_module("block" + stage + "_" + b, block));
                    in = out;
                }
            }
            SequentialImpl fc = Layers.keep(new SequentialImpl(), owned);
            LinearImpl lastFc = Layers.hidden(fc, "", in, spec.hidden(), spec.dropout(), owned);
            head = spec.hidden().isEmpty() ? null : register_module("fc", fc);
            weight = lastFc != null
                    ? lastFc.weight()
                    : blocks.get(blocks.size() - 1).lastWeight();
            outputShape = new long[] {
                spec.hidden().isEmpty() ? in : spec.hidden().get(spec.hidden().size() - 1)
            };
        }
        lastWeight = weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = stem.forward(x);
        for (ResidualBlock b : blocks) {
            y = b.forward(y);
        }
        y = y.mean(new long[] {2, 3}, false, new ScalarTypeOptional()); // global average pooling
        return head == null ? y : head.forward(y);
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
    public Tensor lastLayerWeight() {
        return lastWeight;
    }

    @Override
    public void close() {
        Layers.closeAll(owned);
        super.close();
    }
}
