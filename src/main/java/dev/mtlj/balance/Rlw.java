package dev.mtlj.balance;

import dev.mtlj.random.Rng;
import java.util.Set;

/**
 * Random loss weighting (RLW): B. Lin, F. Ye, Y. Zhang, I. W. Tsang, "Reasonable Effectiveness of Random
 * Weighting: A Litmus Test for Multi-Task Learning", TMLR 2022.
 *
 * <p>Each step draws z ~ N(0, I_T) and uses softmax(z) (native Σw = 1); canonical weights are T·softmax(z) (κ = T).
 * Draws come from (seed, step), so a resumed run repeats them. Stateless; one backward.
 */
public final class Rlw implements LossWeighting {
    private final int t;
    private final long seed;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public Rlw(int tasks, long seed) {
        this.t = tasks;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "rlw";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public Weights weigh(LossInput in) {
        Rng rng = Rng.derived(seed ^ 0x524c57L, in.step());
        double[] z = new double[t];
        for (int i = 0; i < t; i++) {
            z[i] = rng.nextGaussian();
        }
        return Weights.of(softmaxTimesT(z));
    }

    static double[] softmaxTimesT(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] e = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            s += e[i];
        }
        return Mat.scale(e, z.length / s);
    }
}
