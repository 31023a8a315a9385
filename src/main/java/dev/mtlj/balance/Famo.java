package dev.mtlj.balance;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * FAMO: B. Liu, Y. Feng, P. Stone, Q. Liu, "FAMO: Fast Adaptive Multitask Optimization", NeurIPS 2023.
 *
 * <p>Logits ξ (init 0), z = softmax(ξ), D_i = L_i − ℓ*_i + ε, c = 1/Σ z_i/D_i: the network descends
 * c·Σ z_i log D_i, i.e. weights w_i = c z_i/D_i (native Σw = 1; canonical T·w, κ = T; heads h = w). After the
 * optimizer step the trainer re-evaluates the same batch (with batch-norm statistics restored, unlike LibMTL which
 * updates them twice); δ_i = log D_i − log(L⁺_i − ℓ*_i + ε), u_k = z_k(δ_k − Σ z_i δ_i) and ξ takes an Adam step
 * (lr β = 0.025, L2 decay γ = 0.001, as LibMTL and the official NYUv2 runs). One backward plus one forward per step.
 * Not usable when a step holds a single task.
 */
public final class Famo implements LossWeighting {
    private final double[] logits;
    private final double minLoss;
    private final double eps = 1e-8;
    private final ParameterAdam adam;
    private double[] pre;
    private double[] z;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public Famo(int tasks, double lr, double gamma, double minLoss) {
        this.logits = new double[tasks];
        this.minLoss = minLoss;
        this.adam = new ParameterAdam(tasks, lr, 0.9, 0.999, 1e-8, gamma);
    }

    @Override
    public String name() {
        return "famo";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSSES, Signal.POST_STEP_LOSSES);
    }

    @Override
    public Weights weigh(LossInput in) {
        double[] l = in.losses();
        Mat.requireFinite(l, "loss");
        int t = l.length;
        z = Rlw.softmaxTimesT(logits);
        for (int i = 0; i < t; i++) {
            z[i] /= t;
        }
        double inv = 0;
        for (int i = 0; i < t; i++) {
            double d = l[i] - minLoss + eps;
            if (!(d > 0)) {
                throw new IllegalArgumentException(
                        "famo needs losses above their lower bound " + minLoss + "; task " + i + " has " + l[i]);
            }
            inv += z[i] / d;
        }
        double c = 1 / inv;
        double[] w = new double[t];
        for (int i = 0; i < t; i++) {
            w[i] = t * c * z[i] / (l[i] - minLoss + eps);
        }
        pre = l.clone();
        return new Weights(w, Map.of("z", z.clone(), "logits", logits.clone()));
    }

    @Override
    public void afterStep(double[] post) {
        if (pre == null) {
            return;
        }
        int t = logits.length;
        double[] delta = new double[t];
        double mean = 0;
        for (int i = 0; i < t; i++) {
            delta[i] = Math.log(pre[i] - minLoss + eps) - Math.log(Math.max(post[i] - minLoss + eps, 1e-300));
            mean += z[i] * delta[i];
        }
        double[] u = new double[t];
        for (int k = 0; k < t; k++) {
            u[k] = z[k] * (delta[k] - mean);
        }
        adam.step(logits, u);
        pre = null;
    }

    /** Current logits ξ. */
    public double[] logits() {
        return logits.clone();
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("logits", logits.clone());
        adam.save(m, "adam");
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        System.arraycopy(s.get("logits"), 0, logits, 0, logits.length);
        adam.restore(s, "adam");
    }
}
