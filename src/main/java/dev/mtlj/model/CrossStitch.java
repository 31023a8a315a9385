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
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Cross-stitch networks: I. Misra, A. Shrivastava, A. Gupta, M. Hebert, "Cross-stitch Networks for Multi-task
 * Learning", CVPR 2016 (docs/methods.md#cross-stitch-networks-cross-stitch).
 *
 * <p>One column per task, each a copy of the backbone's stages (MLP: Linear → ReLU [→ Dropout] per hidden width;
 * CNN: each conv block; the CNN's flatten and dense layers form one last stage). After every stage l the columns'
 * activations x_j^(l) [B, C_l, ...] are mixed channel-wise: x̃_i^(l) = Σ_j a_ij^(l) ⊙ x_j^(l) with a^(l) ∈ R^{T×T×C_l},
 * initialised a_ii = 0.9, a_ij = 0.1 (the paper's α_S, α_D; LibMTL starts from all ones). Head i reads column i's
 * output. After the first stitch every column influences every task, so columns and stitch units are all shared.
 * Parameters: T·|backbone| + Σ_l T²·C_l. ResNet backbones are not supported here.
 */
final class CrossStitch extends Module implements Sharing {
    private final int tasks;
    /** stages[i][l]: column i's stage l. */
    private final List<List<SequentialImpl>> stages = new ArrayList<>();

    private final List<Tensor> stitches = new ArrayList<>();
    private final List<Pointer> owned = new ArrayList<>();
    private final long[] outputShape;
    private final boolean flatInput;
    private final long[][] outputShapeHolder = new long[1][];

    CrossStitch(CrossStitchSpec spec, BackboneSpec backbone, long[] exampleShape, int tasks) {
        super("CrossStitch");
        this.tasks = tasks;
        if (!(backbone instanceof ColumnStages staged)) {
            throw new UserInputException(
                    "the cross-stitch architecture supports mlp and cnn backbones, not " + backbone.typeName());
        }
        this.flatInput = staged.flatInput();
        List<Long> widths = new ArrayList<>();
        long[] out;
        try (PointerScope scope = new PointerScope()) {
            for (int i = 0; i < tasks; i++) {
                List<SequentialImpl> column = new ArrayList<>();
                widths.clear();
                out = staged.stages(exampleShape, column, widths, owned);
                for (int l = 0; l < column.size(); l++) {
                    register_module("col" + i + "_stage" + l, column.get(l));
                }
                stages.add(column);
                outputShapeHolder[0] = out;
            }
            for (int l = 0; l < widths.size(); l++) {
                float[] init = new float[tasks * tasks * widths.get(l).intValue()];
                int c = widths.get(l).intValue();
                for (int a = 0; a < tasks; a++) {
                    for (int b = 0; b < tasks; b++) {
                        java.util.Arrays.fill(init, (a * tasks + b) * c, (a * tasks + b + 1) * c, (float)
                                (a == b
                                        ? spec.self().doubleValue()
                                        : spec.other().doubleValue()));
                    }
                }
                // register_parameter returns a reference into the module's parameter dictionary, which moves when the
                // next parameter is registered: take an owned alias at once and keep it for the module's lifetime
                Tensor t = Layers.keep(
                        new Tensor(register_parameter("stitch" + l, Tensor.create(init, tasks, tasks, c), true)),
                        owned);
                stitches.add(t);
            }
        }
        outputShape = outputShapeHolder[0];
    }

    /** An MLP column: one stage per hidden layer. */
    static long[] mlpStages(
            MlpSpec spec, long[] exampleShape, List<SequentialImpl> column, List<Long> widths, List<Pointer> owned) {
        long in = Layers.product(exampleShape);
        for (int w : spec.hidden()) {
            SequentialImpl s = Layers.keep(new SequentialImpl(), owned);
            Layers.hidden(s, "", in, List.of(w), spec.dropout(), owned);
            column.add(s);
            widths.add((long) w);
            in = w;
        }
        return new long[] {in};
    }

    /** A CNN column: one stage per conv block, the flatten and dense layers as one last stage. */
    static long[] cnnStages(
            CnnSpec spec, long[] exampleShape, List<SequentialImpl> column, List<Long> widths, List<Pointer> owned) {
        Specs.requireImage("cnn", exampleShape);
        long ch = exampleShape[0];
        long h = exampleShape[1];
        long w = exampleShape[2];
        for (int i = 0; i < spec.channels().size(); i++) {
            long out = spec.channels().get(i);
            SequentialImpl s = Layers.keep(new SequentialImpl(), owned);
            Conv2dOptions o = new Conv2dOptions(ch, out, new LongPointer(spec.kernel(), spec.kernel()));
            o.padding().put(new LongPointer((long) spec.kernel() / 2, (long) spec.kernel() / 2));
            Conv2dImpl conv = Layers.keep(new Conv2dImpl(o), owned);
            s.push_back("conv", conv);
            if (spec.batchNorm()) {
                s.push_back("bn", Layers.keep(new BatchNorm2dImpl(new BatchNormOptions(out)), owned));
            }
            s.push_back("relu", Layers.keep(new ReLUImpl(), owned));
            s.push_back("pool", Layers.keep(new MaxPool2dImpl(new LongPointer(2L, 2L)), owned));
            column.add(s);
            widths.add(out);
            ch = out;
            h /= 2;
            w /= 2;
        }
        if (h < 1 || w < 1) {
            throw new UserInputException(
                    "the cnn backbone's pooling blocks shrink the images below 1x1; use fewer channels entries");
        }
        long flat = ch * h * w;
        if (spec.hidden().isEmpty()) {
            return new long[] {flat};
        }
        SequentialImpl dense = Layers.keep(new SequentialImpl(), owned);
        dense.push_back("flatten", Layers.keep(new FlattenImpl(), owned));
        Layers.hidden(dense, "dense_", flat, spec.hidden(), spec.dropout(), owned);
        column.add(dense);
        widths.add((long) spec.hidden().get(spec.hidden().size() - 1));
        return new long[] {spec.hidden().get(spec.hidden().size() - 1)};
    }

    /** Mixes the columns: x̃_i = Σ_j a_ij ⊙ x_j, channels on dimension 1 of each [B, C, ...]. */
    private Tensor stitch(Tensor a, Tensor columns) {
        long extra = columns.dim() - 3; // [T, B, C, ...spatial]
        long[] shape = new long[(int) (4 + extra)];
        shape[0] = a.size(0);
        shape[1] = a.size(1);
        shape[2] = 1;
        shape[3] = a.size(2);
        for (int k = 0; k < extra; k++) {
            shape[4 + k] = 1;
        }
        return a.view(shape).mul(columns.unsqueeze(0)).sum(1);
    }

    /** [B, ...] → column outputs [B, T, F] (after the last stitch). */
    @Override
    public Tensor encode(Tensor x) {
        int depth = stages.get(0).size();
        List<Tensor> cols = new ArrayList<>();
        Tensor in = x;
        if (depth == 0) {
            throw new IllegalStateException("cross-stitch columns have no stages");
        }
        for (int i = 0; i < tasks; i++) {
            cols.add(flatInput && in.dim() > 2 ? in.flatten(1, -1) : in);
        }
        for (int l = 0; l < depth; l++) {
            TensorVector outs = new TensorVector();
            for (int i = 0; i < tasks; i++) {
                outs.push_back(stages.get(i).get(l).forward(cols.get(i)));
            }
            Tensor mixed = stitch(stitches.get(l), torch.stack(outs));
            cols.clear();
            for (int i = 0; i < tasks; i++) {
                cols.add(mixed.select(0, i));
            }
        }
        TensorVector flat = new TensorVector();
        for (Tensor c : cols) {
            flat.push_back(c.dim() > 2 ? c.flatten(1, -1) : c);
        }
        return torch.stack(flat, 1);
    }

    @Override
    public List<Tensor> route(Tensor representation, Tensor x) {
        List<Tensor> out = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            out.add(representation.select(1, i));
        }
        return out;
    }

    @Override
    public long[] taskFeatureShape(int task) {
        return outputShape.clone();
    }

    @Override
    public TensorVector sharedParameters() {
        return parameters();
    }

    @Override
    public Tensor lastSharedWeight() {
        throw new UserInputException(
                "the cross-stitch architecture has one column per task and no single last shared layer,"
                        + " which GradNorm's gradient norms need; use another balancer");
    }

    @Override
    public void close() {
        Layers.closeAll(owned);
        super.close();
    }
}
