package dev.mtlj.balance;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic weight average (DWA): S. Liu, E. Johns, A. J. Davison, "End-to-End Multi-Task Learning with
 * Attention", CVPR 2019.
 *
 * <p>For (1-based) epoch e ≤ 2, w = 1; afterwards r_i = L̄_i(e−1)/L̄_i(e−2) with L̄ the per-epoch mean training
 * loss, and w_i = T·exp(r_i/τ)/Σ_j exp(r_j/τ) (Σw = T, native = canonical), fixed for the epoch. The epoch is the
 * training stream's. τ = 2. State: the running sums of the current epoch and the last two epoch means.
 * (The Nash-MTL/FAMO repositories' 25-iteration windows are a different variant, not this.)
 */
public final class Dwa implements LossWeighting {
    private final double tau;
    private final int t;
    private double[] sums;
    private long count;
    private int epoch = -1;
    private double[] prev1;
    private double[] prev2;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public Dwa(int tasks, double tau) {
        this.tau = tau;
        this.t = tasks;
        this.sums = new double[tasks];
    }

    @Override
    public String name() {
        return "dwa";
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
        if (in.epoch() != epoch) {
            if (count > 0) {
                prev2 = prev1;
                prev1 = Mat.scale(sums, 1.0 / count);
            }
            sums = new double[t];
            count = 0;
            epoch = in.epoch();
        }
        double[] w = weights();
        for (int i = 0; i < t; i++) {
            sums[i] += in.losses()[i];
        }
        count++;
        return Weights.of(w);
    }

    /** Weights from the two previous epoch means (ones until two epochs have completed). */
    double[] weights() {
        if (prev1 == null || prev2 == null) {
            return Mat.fill(t, 1.0);
        }
        double[] e = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        double[] r = new double[t];
        for (int i = 0; i < t; i++) {
            r[i] = prev1[i] / Math.max(prev2[i], 1e-300);
            max = Math.max(max, r[i] / tau);
        }
        double z = 0;
        for (int i = 0; i < t; i++) {
            e[i] = Math.exp(r[i] / tau - max);
            z += e[i];
        }
        return Mat.scale(e, t / z);
    }

    /** Standalone use: the history's last two rows are the two previous epochs' mean losses (older first). */
    @Override
    public void startFrom(double[][] history) {
        if (history.length < 2) {
            throw new dev.mtlj.UserInputException(
                    "dwa needs the mean losses of the two previous epochs: give \"history\" two rows");
        }
        prev2 = history[history.length - 2].clone();
        prev1 = history[history.length - 1].clone();
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("sums", sums.clone());
        m.put("count_epoch", new double[] {count, epoch});
        if (prev1 != null) {
            m.put("prev1", prev1.clone());
        }
        if (prev2 != null) {
            m.put("prev2", prev2.clone());
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        sums = s.get("sums").clone();
        count = (long) s.get("count_epoch")[0];
        epoch = (int) s.get("count_epoch")[1];
        prev1 = s.containsKey("prev1") ? s.get("prev1").clone() : null;
        prev2 = s.containsKey("prev2") ? s.get("prev2").clone() : null;
    }
}
