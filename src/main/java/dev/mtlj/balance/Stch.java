package dev.mtlj.balance;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Smooth Tchebycheff scalarisation (STCH): X. Lin, X. Zhang, Z. Yang, F. Liu, Z. Wang, Q. Zhang, "Smooth Tchebycheff
 * Scalarization for Multi-Objective Optimization", ICML 2024 (LibMTL's port).
 *
 * <p>With W warm-up epochs (0-based epochs e): for e ≤ W minimise Σ_i log(L_i + 1e-20) (effective w_i = 1/L_i), and
 * during epoch W average the losses into a nadir vector z; for e &gt; W minimise T·μ·log Σ_i exp(ℓ_i/μ) with
 * ℓ_i = log(L_i/z_i + 1e-20) (max-stabilised), effective w_i = T·softmax(ℓ/μ)_i/L_i. Native = canonical; heads h = w.
 * Defaults W = 4 (LibMTL), μ = 1. State: the nadir accumulators and z.
 */
public final class Stch implements LossWeighting {
    private final int warmup;
    private final double mu;
    private double[] nadirSum;
    private long nadirCount;
    private double[] nadir;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public Stch(int tasks, int warmupEpochs, double mu) {
        this.warmup = warmupEpochs;
        this.mu = mu;
        this.nadirSum = new double[tasks];
    }

    @Override
    public String name() {
        return "stch";
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
        double[] l = in.losses();
        int t = l.length;
        for (int i = 0; i < t; i++) {
            if (!(l[i] > 0) || Double.isInfinite(l[i])) {
                throw new IllegalArgumentException("stch needs positive finite losses; task " + i + " has " + l[i]);
            }
        }
        double[] w = new double[t];
        if (in.epoch() <= warmup || nadirCount == 0) {
            if (in.epoch() == warmup) {
                for (int i = 0; i < t; i++) {
                    nadirSum[i] += l[i];
                }
                nadirCount++;
            }
            for (int i = 0; i < t; i++) {
                w[i] = 1 / (l[i] + 1e-20);
            }
            return Weights.of(w);
        }
        if (nadir == null) {
            nadir = Mat.scale(nadirSum, 1.0 / nadirCount);
        }
        double[] ell = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t; i++) {
            ell[i] = Math.log(l[i] / nadir[i] + 1e-20) / mu;
            max = Math.max(max, ell[i]);
        }
        double z = 0;
        for (int i = 0; i < t; i++) {
            ell[i] = Math.exp(ell[i] - max);
            z += ell[i];
        }
        for (int i = 0; i < t; i++) {
            w[i] = t * (ell[i] / z) / l[i];
        }
        return Weights.of(w);
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("nadir_sum", nadirSum.clone());
        m.put("nadir_count", new double[] {nadirCount});
        if (nadir != null) {
            m.put("nadir", nadir.clone());
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        nadirSum = s.get("nadir_sum").clone();
        nadirCount = (long) s.get("nadir_count")[0];
        nadir = s.containsKey("nadir") ? s.get("nadir").clone() : null;
    }
}
