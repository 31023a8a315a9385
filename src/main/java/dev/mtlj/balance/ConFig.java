package dev.mtlj.balance;

import java.util.Map;

/**
 * ConFIG: Q. Liu, M. Chu, N. Thuerey, "ConFIG: Towards Conflict-free Training of Physics Informed Neural Networks",
 * arXiv:2408.11104, 2024 (torchjd's {@code ConFIG}).
 *
 * <p>Unit rows û_i = g_i/‖g_i‖ (0 for zero rows); v = pinv(Û)·1 (eigenvalues of the unit rows' Gramian below
 * T·ε·λ_max cut, ε the Jacobian's machine epsilon) = Ûᵀ(ÛÛᵀ)⁺1, u = v/‖v‖, d = (Σ_i ⟨g_i, u⟩)·u. On
 * the Gramian: with Ĥ the unit rows' Gramian and y = Ĥ⁺1, ‖v‖² = yᵀĤy and w_j = s·y_j/(‖v‖·‖g_j‖) where
 * s = Σ_i ‖g_i‖(Ĥy)_i/‖v‖. Native = canonical (p = 1); heads h = 1.
 */
public final class ConFig implements GramianWeighting {
    @Override
    public String name() {
        return "config";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        double[] n = new double[t];
        for (int i = 0; i < t; i++) {
            n[i] = Math.sqrt(Math.max(h[i][i], 0));
        }
        double[][] hu = Aggregation.unitRows(h, n);
        double[] ones = new double[t];
        for (int i = 0; i < t; i++) {
            ones[i] = n[i] > 0 ? 1 : 0;
        }
        double[] y = Mat.pinvSolve(hu, ones, in.rankTolerance());
        double vNorm = Math.sqrt(Math.max(Mat.quad(hu, y), 0));
        if (vNorm == 0) {
            return Aggregation.result(new double[t], Map.of("zero_jacobian", true));
        }
        double[] hy = Mat.mul(hu, y);
        double s = 0;
        for (int i = 0; i < t; i++) {
            s += n[i] * hy[i] / vNorm;
        }
        double[] w = new double[t];
        for (int j = 0; j < t; j++) {
            w[j] = n[j] > 0 ? s * y[j] / (vNorm * n[j]) : 0;
        }
        return Aggregation.result(w, Map.of());
    }
}
