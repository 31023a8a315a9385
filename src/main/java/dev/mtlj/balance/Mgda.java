package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MGDA and MGDA-UB: O. Sener, V. Koltun, "Multi-Task Learning as Multi-Objective Optimization", NeurIPS 2018.
 *
 * <p>α* = argmin over the simplex of αᵀĤα with Ĥ_ij = H_ij/(ν_iν_j): the min-norm point of the convex hull of the
 * (normalised) task gradients, solved exactly as a QP (ojAlgo) and checked against its KKT conditions — not the
 * paper's Frank–Wolfe iteration. Normalisation ν (official code, "not in the paper"): {@code none} (default),
 * {@code l2} ‖g_i‖, {@code loss} L_i, {@code loss+} L_i‖g_i‖; a zero row gets ν_i = 1. The direction is the
 * min-norm point itself, d = Σ α_i ĝ_i = Σ (α_i/ν_i) g_i (LibMTL's convention; the official code instead applies α to
 * the raw gradients; both agree for {@code none}). Native Σα = 1; canonical w_i = T·α_i/ν_i (κ = T); heads h = 1.
 * {@code mgda-ub} takes the Gramian of gradients w.r.t. the shared representation (one trunk backward) instead.
 */
public final class Mgda implements GramianWeighting {
    /** The gradient normalisation ν of the official code. */
    public enum Normalization {
        /** No normalization of the gradients. */
        NONE("none"),
        /** Each gradient divided by its norm. */
        L2("l2"),
        /** Each gradient divided by its loss. */
        LOSS("loss"),
        /** Each gradient divided by its loss times its norm. */
        LOSS_PLUS("loss+");

        private final String configName;

        Normalization(String configName) {
            this.configName = configName;
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    private final Normalization normalization;
    private final boolean upperBound;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public Mgda(Normalization normalization, boolean upperBound) {
        this.normalization = normalization;
        this.upperBound = upperBound;
    }

    @Override
    public String name() {
        return upperBound ? "mgda-ub" : "mgda";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public Space space() {
        return upperBound ? Space.REPRESENTATION : Space.SHARED_PARAMETERS;
    }

    @Override
    public boolean readsLosses() {
        return normalization == Normalization.LOSS || normalization == Normalization.LOSS_PLUS;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        double[] nu = new double[t];
        for (int i = 0; i < t; i++) {
            double norm = Math.sqrt(Math.max(h[i][i], 0));
            nu[i] = switch (normalization) {
                case L2 -> norm;
                case LOSS -> in.losses()[i];
                case LOSS_PLUS -> in.losses()[i] * norm;
                case NONE -> 1.0;
            };
            if (!(nu[i] > 0) || h[i][i] == 0) {
                nu[i] = 1.0;
            }
        }
        double[][] hn = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                hn[i][j] = h[i][j] / (nu[i] * nu[j]);
            }
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        if (Mat.trace(hn) == 0) {
            extras.put("zero_jacobian", true);
            return Aggregation.result(new double[t], extras);
        }
        Qp.Solution s = Qp.simplex(Mat.scale(hn, 2), new double[t]);
        double[] w = new double[t];
        for (int i = 0; i < t; i++) {
            w[i] = t * s.x()[i] / nu[i];
        }
        extras.put("alpha", s.x());
        extras.put("min_norm_sq", Mat.quad(hn, s.x()));
        extras.put("kkt_residual", s.residual());
        return Aggregation.result(w, extras);
    }
}
