package dev.mtlj.balance;

import java.util.Map;
import java.util.Set;

/**
 * Uncertainty weighting (UW): A. Kendall, Y. Gal, R. Cipolla, "Multi-Task Learning Using Uncertainty to Weigh
 * Losses for Scene Geometry and Semantics", CVPR 2018.
 *
 * <p>Minimises Σ_i [κ_i e^{−s_i} L_i + s_i/2] over the network and s_i = log σ_i². Weights w_i = κ_i e^{−s_i}
 * (native = canonical; not normalised); the gradient w.r.t. s_i is −κ_i e^{−s_i} L_i + ½, so e^{s_i} tracks
 * 2κ_i L_i. κ_i = ½ for every task by default (LibMTL, MTAN); {@code kappa: paper} uses ½ for regression and 1
 * for classification, as the paper derives. s starts at 0 (the authors' notebook; LibMTL uses −0.5) and has its own
 * Adam (default lr = the network's), with no weight decay on s (LibMTL's global decay also hits s; we do not).
 * s is clamped to [−20, 20]. State: s and its Adam moments. Needs the loss values; no extra backward.
 */
public final class UncertaintyWeighting implements LossWeighting {
    /** κ_i: ½ for every task, or the paper's ½ for regression and 1 for classification. */
    public enum Kappa {
        /** κ = 1/2 on every task (the common form, as LibMTL). */
        HALF("half"),
        /** κ as in the paper: 1/2 for regression, 1 for classification. */
        PAPER("paper");

        private final String configName;

        Kappa(String configName) {
            this.configName = configName;
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    private final double[] kappa;
    private final LearnedVector s;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public UncertaintyWeighting(double[] kappa, double lr, double init) {
        this.kappa = kappa.clone();
        this.s = new LearnedVector(kappa.length, init, lr);
    }

    /** κ per task for {@code ctx}'s tasks. */
    static double[] kappa(Kappa choice, BalancerContext ctx) {
        double[] kappa = new double[ctx.size()];
        for (int i = 0; i < kappa.length; i++) {
            kappa[i] = choice == Kappa.PAPER && !ctx.regression().get(i) ? 1.0 : 0.5;
        }
        return kappa;
    }

    @Override
    public String name() {
        return "uw";
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
        int t = kappa.length;
        double[] w = new double[t];
        double[] grad = new double[t];
        double[] sigma = new double[t];
        for (int i = 0; i < t; i++) {
            w[i] = kappa[i] * Math.exp(-s.get(i));
            grad[i] = -w[i] * in.losses()[i] + 0.5;
            sigma[i] = Math.exp(s.get(i) / 2);
        }
        s.step(grad);
        return new Weights(w, Map.of("sigma", sigma));
    }

    /** Current log-variances s_i. */
    public double[] logVariances() {
        return s.values();
    }

    @Override
    public Map<String, double[]> state() {
        return s.state();
    }

    @Override
    public void restore(Map<String, double[]> state) {
        s.restore(state);
    }
}
