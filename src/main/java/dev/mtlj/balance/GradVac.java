package dev.mtlj.balance;

import dev.mtlj.random.Rng;
import java.util.HashMap;
import java.util.Map;

/**
 * Gradient Vaccine: Z. Wang, Y. Tsvetkov, O. Firat, Y. Cao, "Gradient Vaccine: Investigating and Improving
 * Multi-task Optimization in Massively Multilingual Models", ICLR 2021 — whole-model granularity (one group).
 *
 * <p>For each task i, v = g_i; for j in a random order of the others: φ = cos(v, g_j); if φ &lt; φ̂_ij then
 * v ← v + a·g_j with a = ‖v‖(φ̂√(1−φ²) − φ√(1−φ̂²))/(‖g_j‖√(1−φ̂²)) (the angle to g_j becomes exactly arccos φ̂);
 * then φ̂_ij ← (1−β)φ̂_ij + βφ. d = Σ_i v_i. On the Gramian: v = Jᵀc, ⟨v, g_j⟩ = (Hc)_j, ‖v‖² = cᵀHc. With φ̂ = 0 the
 * first step equals PCGrad. β = 0.01 (the paper, as quoted by a re-implementation; LibMTL's default 0.5); φ̂ is
 * clamped to ±(1 − 1e-6); zero rows are skipped. Native = canonical (sum); heads h = 1. State: φ̂ (T×T).
 * Per-layer groups (LibMTL's group_type 1, 2) are not offered: they need one Gramian per group.
 */
public final class GradVac implements GramianWeighting {
    private final double beta;
    private final long seed;
    private double[][] target;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public GradVac(double beta, long seed) {
        this.beta = beta;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "gradvac";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        if (target == null) {
            target = new double[t][t];
        }
        Rng rng = Rng.derived(seed ^ 0x4756L, in.step());
        double[] w = new double[t];
        for (int i = 0; i < t; i++) {
            int[] others = new int[t - 1];
            for (int j = 0, k = 0; j < t; j++) {
                if (j != i) {
                    others[k++] = j;
                }
            }
            rng.shuffle(others);
            double[] c = new double[t];
            c[i] = 1;
            double[] hc = h[i].clone(); // H c, kept up to date as c changes (O(T) a change, not O(T²))
            for (int j : others) {
                double vv = Mat.dot(c, hc);
                if (h[j][j] <= 0 || vv <= 0) {
                    continue;
                }
                double vn = Math.sqrt(vv);
                double gn = Math.sqrt(h[j][j]);
                double phi = Math.max(-1, Math.min(1, hc[j] / (vn * gn)));
                double hat = target[i][j];
                if (phi < hat) {
                    double a = vn
                            * (hat * Math.sqrt(1 - phi * phi) - phi * Math.sqrt(1 - hat * hat))
                            / (gn * Math.sqrt(1 - hat * hat));
                    c[j] += a;
                    for (int k = 0; k < t; k++) {
                        hc[k] += a * h[j][k];
                    }
                }
                target[i][j] = Math.max(-1 + 1e-6, Math.min(1 - 1e-6, (1 - beta) * hat + beta * phi));
            }
            for (int k = 0; k < t; k++) {
                w[k] += c[k];
            }
        }
        return Aggregation.result(w, Map.of());
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        if (target != null) {
            for (int i = 0; i < target.length; i++) {
                m.put("target" + i, target[i].clone());
            }
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        if (s.containsKey("target0")) {
            int t = s.get("target0").length;
            target = new double[t][];
            for (int i = 0; i < t; i++) {
                target[i] = s.get("target" + i).clone();
            }
        } else {
            target = null;
        }
    }
}
