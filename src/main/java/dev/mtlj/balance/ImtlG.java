package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IMTL-G, impartial gradient weighting: L. Liu et al., "Towards Impartial Multi-task Learning", ICLR 2021.
 *
 * <p>Chooses α with Σα = 1 so that d = Σ α_i g_i has the same projection ⟨d, u_i⟩ on every unit gradient
 * direction u_i = g_i/n_i (n_i = ‖g_i‖). With D = diag(n) and the unit rows' Gramian Ĥ = D⁻¹HD⁻¹, the condition
 * Hα ∝ n becomes ĤDα ∝ 1, so α ∝ D⁻¹Ĥ⁺1 — algebraically torchjd's H⁺n/(1ᵀH⁺n), but solved on Ĥ, whose conditioning does
 * not depend on how far the gradient norms spread (on H, norms from 1e-3 to 1e3 lost a quarter of the projections'
 * equality). Ĥ⁺ cuts eigenvalues below T·ε·λ_max, ε the Jacobian's machine epsilon, so colinear rows degrade
 * gracefully (the paper's closed form is undefined there). Zero rows take no part and get α_i = 0. α = 0, flagged
 * {@code degenerate}, when 1ᵀĤ⁺1 vanishes. Weights may be negative. Native Σα = 1; canonical T·α (κ = T); heads h = 1. Default: shared parameters; the
 * paper computes it on the shared feature ({@code imtl-g-ub}).
 */
public final class ImtlG implements GramianWeighting {
    private final boolean upperBound;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public ImtlG(boolean upperBound) {
        this.upperBound = upperBound;
    }

    @Override
    public String name() {
        return upperBound ? "imtl-g-ub" : "imtl-g";
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
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        double[] n = new double[t];
        double[] ones = new double[t];
        for (int i = 0; i < t; i++) {
            n[i] = Math.sqrt(Math.max(h[i][i], 0));
            ones[i] = n[i] > 0 ? 1 : 0;
        }
        double[][] unit = Aggregation.unitRows(h, n);
        double[] y = Mat.pinvSolve(unit, ones, in.rankTolerance());
        double[] x = new double[t];
        double size = 0;
        for (int i = 0; i < t; i++) {
            x[i] = n[i] > 0 ? y[i] / n[i] : 0;
            size += Math.abs(x[i]);
        }
        double s = Mat.sum(x);
        Map<String, Object> extras = new LinkedHashMap<>();
        if (size == 0 || !(Math.abs(s) > in.rankTolerance() * size)) {
            extras.put("degenerate", true);
            return Aggregation.result(new double[t], extras);
        }
        return Aggregation.result(Mat.scale(x, t / s), extras);
    }
}
