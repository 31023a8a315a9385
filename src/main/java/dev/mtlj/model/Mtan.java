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
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.SigmoidImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * MTAN-style attention: S. Liu, E. Johns, A. J. Davison, "End-to-End Multi-Task Learning with Attention",
 * CVPR 2019 (docs/methods.md#mtan-mtan).
 *
 * <p>A shared CNN of J blocks (the cnn backbone's channels C_j): block j computes u^(j) = ReLU(BN(conv3×3)) and
 * p^(j) = ReLU(BN(conv3×3(u^(j)))), then a 2×2 max-pool feeds block j+1. Task i's attention module j is
 * a_i^(j) = sigmoid(BN(conv1×1(ReLU(BN(conv1×1(q)))))) with q = u^(1) for j = 1 and
 * q = concat[u^(j), f^(j−1)(â_i^(j−1))] after, where â_i^(j) = a_i^(j) ⊙ p^(j) and f^(j) (3×3 conv → BN → ReLU → 2×2
 * max-pool, C_j → C_{j+1}) is one module shared by all tasks, as in the reference code. Head i reads â_i^(J).
 * Shared: the CNN and the f^(j); task i's own: its attention modules. Needs spatial feature maps (cnn backbone).
 * Because the shared f^(j) act on task-specific features, gradient methods on the shared representation (the
 * "-ub" variants) cannot reach them and are refused.
 */
final class Mtan extends Module implements Sharing {
    private final int tasks;
    private final List<SequentialImpl> first = new ArrayList<>();
    private final List<SequentialImpl> second = new ArrayList<>();
    private final List<SequentialImpl> pools = new ArrayList<>();
    private final List<SequentialImpl> f = new ArrayList<>();
    /** attention[i][j]. */
    private final List<List<SequentialImpl>> attention = new ArrayList<>();

    private final List<Pointer> owned = new ArrayList<>();
    private final long[][] shapes;
    private final long[] outputShape;

    Mtan(BackboneSpec backbone, long[] exampleShape, int tasks) {
        super("Mtan");
        if (!(backbone instanceof CnnSpec cnn)) {
            throw new UserInputException("the mtan architecture needs spatial feature maps, which the "
                    + backbone.typeName()
                    + " backbone does not give; use backbone: {type: cnn, channels: [...]}");
        }
        Specs.requireImage("cnn", exampleShape);
        this.tasks = tasks;
        int blocks = cnn.channels().size();
        shapes = new long[blocks][];
        long h = exampleShape[1];
        long w = exampleShape[2];
        try (PointerScope scope = new PointerScope()) {
            long in = exampleShape[0];
            for (int j = 0; j < blocks; j++) {
                long c = cnn.channels().get(j);
                if (j > 0) {
                    h /= 2;
                    w /= 2;
                }
                if (h < 1 || w < 1) {
                    throw new UserInputException(
                            "the mtan architecture's " + blocks + " blocks shrink " + exampleShape[1] + "x"
                                    + exampleShape[2] + " images below 1x1; use fewer channels entries");
                }
                shapes[j] = new long[] {c, h, w};
                first.add(register_module("block" + j + "_u", convBnRelu(in, c, 3)));
                second.add(register_module("block" + j + "_p", convBnRelu(c, c, 3)));
                SequentialImpl pool = Layers.keep(new SequentialImpl(), owned);
                pool.push_back("pool", Layers.keep(new MaxPool2dImpl(new LongPointer(2L, 2L)), owned));
                pools.add(register_module("block" + j + "_pool", pool));
                if (j < blocks - 1) {
                    SequentialImpl fj = convBnRelu(c, cnn.channels().get(j + 1), 3);
                    fj.push_back("pool", Layers.keep(new MaxPool2dImpl(new LongPointer(2L, 2L)), owned));
                    f.add(register_module("f" + j, fj));
                }
                in = c;
            }
            for (int i = 0; i < tasks; i++) {
                List<SequentialImpl> mine = new ArrayList<>();
                for (int j = 0; j < blocks; j++) {
                    long c = cnn.channels().get(j);
                    SequentialImpl a = convBnRelu(j == 0 ? c : 2 * c, c, 1);
                    a.push_back("conv_out", conv(c, c, 1));
                    a.push_back("bn_out", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(c)), owned));
                    a.push_back("sigmoid", Layers.keep(new SigmoidImpl(), owned));
                    mine.add(register_module("att" + i + "_" + j, a));
                }
                attention.add(mine);
            }
        }
        long[] last = shapes[blocks - 1];
        outputShape = new long[] {last[0] * last[1] * last[2]};
    }

    private Conv2dImpl conv(long in, long out, long k) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(k, k));
        o.padding().put(new LongPointer(k / 2, k / 2));
        return Layers.keep(new Conv2dImpl(o), owned);
    }

    private SequentialImpl convBnRelu(long in, long out, long k) {
        SequentialImpl s = Layers.keep(new SequentialImpl(), owned);
        s.push_back("conv", conv(in, out, k));
        s.push_back("bn", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
        s.push_back("relu", Layers.keep(new ReLUImpl(), owned));
        return s;
    }

    /** All blocks' u^(j) and p^(j), flattened and concatenated: [B, Σ_j 2·C_j·H_j·W_j]. */
    @Override
    public Tensor encode(Tensor x) {
        TensorVector parts = new TensorVector();
        Tensor in = x;
        for (int j = 0; j < first.size(); j++) {
            if (j > 0) {
                in = pools.get(j - 1).forward(in);
            }
            Tensor u = first.get(j).forward(in);
            Tensor p = second.get(j).forward(u);
            parts.push_back(u.flatten(1, -1));
            parts.push_back(p.flatten(1, -1));
            in = p;
        }
        return torch.cat(parts, 1);
    }

    @Override
    public List<Tensor> route(Tensor representation, Tensor x) {
        long b = representation.size(0);
        List<Tensor> u = new ArrayList<>();
        List<Tensor> p = new ArrayList<>();
        long off = 0;
        for (long[] s : shapes) {
            long n = s[0] * s[1] * s[2];
            u.add(representation.narrow(1, off, n).view(b, s[0], s[1], s[2]));
            p.add(representation.narrow(1, off + n, n).view(b, s[0], s[1], s[2]));
            off += 2 * n;
        }
        List<Tensor> out = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            Tensor feature = null;
            for (int j = 0; j < shapes.length; j++) {
                Tensor q = j == 0
                        ? u.get(0)
                        : torch.cat(new TensorVector(u.get(j), f.get(j - 1).forward(feature)), 1);
                feature = attention.get(i).get(j).forward(q).mul(p.get(j));
            }
            out.add(feature.flatten(1, -1));
        }
        return out;
    }

    @Override
    public long[] taskFeatureShape(int task) {
        return outputShape.clone();
    }

    @Override
    public TensorVector sharedParameters() {
        TensorVector out = new TensorVector();
        for (List<SequentialImpl> group : List.of(first, second, f)) {
            for (SequentialImpl s : group) {
                TensorVector ps = s.parameters();
                for (long k = 0; k < ps.size(); k++) {
                    out.push_back(ps.get(k));
                }
            }
        }
        return out;
    }

    @Override
    public TensorVector taskParameters(int task) {
        TensorVector out = new TensorVector();
        for (SequentialImpl s : attention.get(task)) {
            TensorVector ps = s.parameters();
            for (long k = 0; k < ps.size(); k++) {
                out.push_back(ps.get(k));
            }
        }
        return out;
    }

    @Override
    public boolean supportsRepresentationGradients() {
        return false;
    }

    @Override
    public Tensor lastSharedWeight() {
        throw new UserInputException("the mtan architecture has no single last shared layer every task passes through,"
                + " which GradNorm's gradient norms need; use another balancer");
    }

    @Override
    public void close() {
        Layers.closeAll(owned);
        super.close();
    }
}
