package dev.mtlj.balance;

import java.util.Map;
import java.util.Set;

/**
 * IMTL-L, impartial loss scaling: L. Liu, Y. Li, Z. Kuang, J.-H. Xue, Y. Chen, W. Yang, Q. Liao, W. Zhang,
 * "Towards Impartial Multi-task Learning", ICLR 2021.
 *
 * <p>Each loss becomes e^{s_i} L_i − s_i, minimised over the network and s (init 0); w_i = e^{s_i}
 * (native = canonical). ∂/∂s_i = e^{s_i} L_i − 1, so the fixed point scales every loss to 1. s has its own Adam
 * (default lr = the network's), no weight decay, clamped to [−20, 20]. State: s and Adam moments.
 */
public final class ImtlL implements LossWeighting {
    private final LearnedVector s;
    private final int tasks;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public ImtlL(int tasks, double lr) {
        this.tasks = tasks;
        this.s = new LearnedVector(tasks, 0, lr);
    }

    @Override
    public String name() {
        return "imtl-l";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSSES);
    }

    @Override
    public Weights weigh(LossInput in) {
        Mat.requireFinite(in.losses(), "loss");
        double[] w = new double[tasks];
        double[] g = new double[tasks];
        for (int i = 0; i < tasks; i++) {
            w[i] = Math.exp(s.get(i));
            g[i] = w[i] * in.losses()[i] - 1;
        }
        s.step(g);
        return Weights.of(w);
    }

    @Override
    public Map<String, double[]> state() {
        return s.state();
    }

    @Override
    public void restore(Map<String, double[]> st) {
        s.restore(st);
    }
}
