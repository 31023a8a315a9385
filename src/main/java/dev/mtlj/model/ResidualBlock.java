package dev.mtlj.model;

import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * The basic residual block of K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
 * CVPR 2016: ReLU(BN(conv3×3(ReLU(BN(conv3×3_s(x))))) + shortcut(x)), the shortcut a 1×1 convolution with batch
 * norm when stride or width changes, else the identity. Convolutions followed by batch norm have no bias.
 */
final class ResidualBlock extends Module {
    private final SequentialImpl main;
    private final SequentialImpl shortcut;
    private final Conv2dImpl lastConv;

    /** Builds inside the caller's PointerScope; submodules go to {@code owned} (retained). */
    ResidualBlock(long in, long out, long stride, List<Pointer> owned) {
        super("ResidualBlock");
        SequentialImpl m = Layers.keep(new SequentialImpl(), owned);
        m.push_back("conv1", conv(in, out, 3, stride, owned));
        m.push_back("bn1", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
        m.push_back("relu1", Layers.keep(new ReLUImpl(), owned));
        lastConv = conv(out, out, 3, 1, owned);
        m.push_back("conv2", lastConv);
        m.push_back("bn2", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
        main = register_module("main", m);
        if (stride != 1 || in != out) {
            SequentialImpl sc = Layers.keep(new SequentialImpl(), owned);
            sc.push_back("conv", conv(in, out, 1, stride, owned));
            sc.push_back("bn", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
            shortcut = register_module("shortcut", sc);
        } else {
            shortcut = null;
        }
    }

    static Conv2dImpl conv(long in, long out, long kernel, long stride, List<Pointer> owned) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        o.stride().put(0, stride).put(1, stride);
        o.padding().put(new LongPointer(kernel / 2, kernel / 2));
        o.bias().put(false);
        return Layers.keep(new Conv2dImpl(o), owned);
    }

    Tensor forward(Tensor x) {
        Tensor skip = shortcut == null ? x : shortcut.forward(x);
        return main.forward(x).add(skip).relu();
    }

    Tensor lastWeight() {
        return lastConv.weight();
    }
}
