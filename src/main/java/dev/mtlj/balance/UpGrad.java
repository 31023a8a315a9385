package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UPGrad and DualProj: P. Quinton, V. Rey, "Jacobian Descent for Multi-Objective Optimization", arXiv:2406.16232,
 * 2024 (torchjd); DualProj is GEM's projection (D. Lopez-Paz, M. Ranzato, "Gradient Episodic Memory for Continual
 * Learning", NeurIPS 2017).
 *
 * <p>Projection onto the dual cone {x : ⟨g_i, x⟩ ≥ 0}: π(Jᵀu) = Jᵀv* with v* = argmin_{v ≥ u} vᵀHv (solved exactly
 * as a QP by ojAlgo and KKT-checked). UPGrad: w = Σ_k v^{(k)} for u = p_k e_k (the mean of the projected rows);
 * DualProj: one projection of the mean, u = p. p = 1/T; H is trace-normalised (whenever tr H &gt; 0 — never the
 * references' absolute 1e-4 cut-off, which silently turns small gradients into the plain mean) plus reg·I
 * (default 1e-4 as torchjd, for parity; non-conflict then holds up to ≈ reg·w_i). Native mean-like; canonical T·w
 * (κ = T); heads h = 1.
 */
public final class UpGrad implements GramianWeighting {
    private final boolean dualProj;
    private final double reg;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public UpGrad(boolean dualProj, double reg) {
        this.dualProj = dualProj;
        this.reg = reg;
    }

    @Override
    public String name() {
        return dualProj ? "dualproj" : "upgrad";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] raw = Aggregation.gramian(in);
        int t = raw.length;
        Map<String, Object> extras = new LinkedHashMap<>();
        if (Mat.trace(raw) == 0) {
            extras.put("zero_jacobian", true);
            return Aggregation.result(new double[t], extras);
        }
        double[][] h = Aggregation.traceNormalised(raw);
        for (int i = 0; i < t; i++) {
            h[i] = h[i].clone();
            h[i][i] += reg;
        }
        double[] w = new double[t];
        double residual = 0;
        if (dualProj) {
            Qp.Solution s = Qp.boxBelow(Mat.scale(h, 2), new double[t], Mat.fill(t, 1.0 / t));
            w = s.x();
            residual = s.residual();
        } else {
            double[][] q = Mat.scale(h, 2);
            for (int k = 0; k < t; k++) {
                double[] lower = new double[t];
                lower[k] = 1.0 / t;
                Qp.Solution s = Qp.boxBelow(q, new double[t], lower);
                for (int i = 0; i < t; i++) {
                    w[i] += s.x()[i];
                }
                residual = Math.max(residual, s.residual());
            }
        }
        extras.put("kkt_residual", residual);
        double[] hw = Mat.mul(raw, w);
        double minInner = Double.POSITIVE_INFINITY;
        for (double v : hw) {
            minInner = Math.min(minInner, v);
        }
        extras.put("min_inner_product", minInner * t);
        return Aggregation.result(Mat.scale(w, t), extras);
    }
}
