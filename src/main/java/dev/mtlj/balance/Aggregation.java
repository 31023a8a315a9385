package dev.mtlj.balance;

import java.util.Map;

/** Shared pieces of the gradient aggregators. */
final class Aggregation {
    private Aggregation() {}

    /** An aggregator's answer: shared weights w, heads h = 1 (their own unweighted gradient). */
    static Balance result(double[] w, Map<String, Object> extras) {
        return new Balance(w, Mat.fill(w.length, 1.0), extras);
    }

    /** The step's Gramian, checked: a non-finite entry is an error naming it, never aggregated. */
    static double[][] gramian(GramianInput in) {
        double[][] h = in.gramian();
        Mat.requireFinite(h, "Gramian");
        return h;
    }

    /** The Gramian of the unit rows g_i/n_i (n_i = ‖g_i‖); rows and columns of zero rows are 0. */
    static double[][] unitRows(double[][] h, double[] n) {
        int t = h.length;
        double[][] u = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                u[i][j] = n[i] > 0 && n[j] > 0 ? h[i][j] / (n[i] * n[j]) : 0;
            }
        }
        return u;
    }

    /** Trace-normalised copy of H (H/tr H), or H itself when the trace is zero. */
    static double[][] traceNormalised(double[][] h) {
        double tr = Mat.trace(h);
        return tr > 0 ? Mat.scale(h, 1 / tr) : h;
    }

    /** The min-norm point's squared norm relative to max H_ii: ~0 means 0 lies in the gradients' convex hull. */
    static double relativeMinNorm(double[][] h) {
        double max = 0;
        for (int i = 0; i < h.length; i++) {
            max = Math.max(max, h[i][i]);
        }
        if (max == 0) {
            return 0;
        }
        Qp.Solution s = Qp.simplex(Mat.scale(h, 2 / max), new double[h.length]);
        return Mat.quad(Mat.scale(h, 1 / max), s.x());
    }
}
