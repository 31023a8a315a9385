package dev.mtlj.balance;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GradNorm: Z. Chen, V. Badrinarayanan, C.-Y. Lee, A. Rabinovich, "GradNorm: Gradient Normalization for Adaptive
 * Loss Balancing in Deep Multitask Networks", ICML 2018 — the paper's algorithm.
 *
 * <p>Per step, with n_i = ‖∂L_i/∂W‖ on the last shared layer's weight W (the trainer computes these with one
 * extra partial backward per task through the heads and W only, never through the whole trunk):
 * G_i = w_i n_i, Ḡ = mean G, L̃_i = L_i/L_i(0), r_i = L̃_i/mean(L̃), targets τ_i = Ḡ r_i^α held constant;
 * L_grad = Σ|G_i − τ_i| has ∂/∂w_i = sign(G_i − τ_i) n_i. The network steps with the current w (heads too); then
 * w takes an optimizer step on that gradient, is clamped at 1e-6 and renormalised to Σw = T (native = canonical).
 *
 * <p>Differences from LibMTL's GradNorm (not copied): LibMTL parametrises w = T·softmax(s), optimises s with the
 * model's optimizer (so weight decay hits it), never renormalises, takes norms over all shared parameters (T full
 * backward passes) or the batch-summed representation gradient, uses the epoch-0 mean loss as L(0) and leaves the
 * heads unweighted. Defaults: α = 1.5 (paper, NYUv2; its toy used 0.12), Adam on w with the network's lr.
 * State: w, L(0), optimizer moments.
 */
public final class GradNorm implements LossWeighting {
    /** How the weights are updated from the GradNorm loss's gradient. */
    public enum Optimizer {
        /** Adam on the task weights. */
        ADAM("adam"),
        /** Plain SGD on the task weights. */
        SGD("sgd");

        private final String configName;

        Optimizer(String configName) {
            this.configName = configName;
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    private final double alpha;
    private final double[] w;
    private final ParameterAdam adam;
    private final double sgdLr;
    private double[] initial;

    /**
     * @param alpha asymmetry α
     * @param lr    weight learning rate
     * @param optimizer Adam, or plain gradient descent on w
     */
    public GradNorm(int tasks, double alpha, double lr, Optimizer optimizer) {
        this.alpha = alpha;
        this.w = Mat.fill(tasks, 1.0);
        this.adam = optimizer == Optimizer.SGD ? null : new ParameterAdam(tasks, lr, 0);
        this.sgdLr = lr;
    }

    @Override
    public String name() {
        return "gradnorm";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSSES, Signal.LAST_SHARED_NORMS);
    }

    @Override
    public Weights weigh(LossInput in) {
        double[] l = in.losses();
        double[] n = in.lastSharedNorms();
        Mat.requireFinite(l, "loss");
        Mat.requireFinite(n, "last-shared-layer gradient norm");
        int t = w.length;
        if (initial == null) {
            for (int i = 0; i < t; i++) {
                if (!(l[i] > 0)) {
                    throw new IllegalArgumentException(
                            "gradnorm needs positive initial losses; task " + i + " has " + l[i]);
                }
            }
            initial = l.clone();
        }
        double[] used = w.clone();
        double[] g = new double[t];
        double gBar = 0;
        double[] ratio = new double[t];
        double ratioMean = 0;
        for (int i = 0; i < t; i++) {
            g[i] = w[i] * n[i];
            gBar += g[i] / t;
            ratio[i] = l[i] / initial[i];
            ratioMean += ratio[i] / t;
        }
        double[] target = new double[t];
        double[] grad = new double[t];
        double lGrad = 0;
        for (int i = 0; i < t; i++) {
            double r = ratioMean > 0 ? ratio[i] / ratioMean : 1;
            target[i] = gBar * Math.pow(r, alpha);
            lGrad += Math.abs(g[i] - target[i]);
            grad[i] = Math.signum(g[i] - target[i]) * n[i];
        }
        if (adam != null) {
            adam.step(w, grad);
        } else {
            for (int i = 0; i < t; i++) {
                w[i] -= sgdLr * grad[i];
            }
        }
        double sum = 0;
        for (int i = 0; i < t; i++) {
            w[i] = Math.max(w[i], 1e-6);
            sum += w[i];
        }
        for (int i = 0; i < t; i++) {
            w[i] *= t / sum;
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("l_grad", lGrad);
        extras.put("targets", target);
        extras.put("norms", n.clone());
        return new Weights(used, extras);
    }

    /** Standalone use: L(0) is the history's first row. */
    @Override
    public void startFrom(double[][] history) {
        initial = history[0].clone();
    }

    /** The weights the next step will use. */
    public double[] weights() {
        return w.clone();
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("w", w.clone());
        if (initial != null) {
            m.put("initial", initial.clone());
        }
        if (adam != null) {
            adam.save(m, "adam");
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        System.arraycopy(s.get("w"), 0, w, 0, w.length);
        initial = s.containsKey("initial") ? s.get("initial").clone() : null;
        if (adam != null) {
            adam.restore(s, "adam");
        }
    }
}
