package dev.mtlj.train;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.TensorVector;

/** Builds libtorch optimizers from an {@link OptimizerSpec}. The caller owns the result. */
final class Optimizers {
    private Optimizers() {}

    /**
     * Writes (β1, β2) into the options' {@code std::tuple<double, double>}. libstdc++ stores tuple elements in
     * reverse order, so slot 0 of the pointer is β2 and slot 1 is β1 (verified: the defaults read back as
     * [0.999, 0.9]). Writing them in declaration order silently trains with β1 = 0.999, β2 = 0.9.
     */
    static void setBetas(DoublePointer betas, java.util.List<Double> b) {
        betas.put(0, b.get(1)).put(1, b.get(0));
    }

    static Optimizer create(OptimizerSpec s, TensorVector params) {
        switch (s.type()) {
            case SGD: {
                SGDOptions o = new SGDOptions(s.lr());
                o.momentum().put(s.momentum());
                o.nesterov().put(s.nesterov());
                o.weight_decay().put(s.weightDecay());
                return new SGD(params, o);
            }
            case ADAMW: {
                AdamWOptions o = new AdamWOptions(s.lr());
                setBetas(o.betas(), s.betas());
                o.eps().put(s.eps());
                o.weight_decay().put(s.weightDecay());
                return new AdamW(params, o);
            }
            case ADAM:
            default: {
                AdamOptions o = new AdamOptions(s.lr());
                setBetas(o.betas(), s.betas());
                o.eps().put(s.eps());
                o.weight_decay().put(s.weightDecay());
                return new Adam(params, o);
            }
        }
    }
}
