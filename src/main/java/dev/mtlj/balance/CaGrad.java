package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CAGrad, conflict-averse gradient descent: B. Liu, X. Liu, X. Jin, P. Stone, Q. Liu, "Conflict-Averse Gradient
 * Descent for Multi-task Learning", NeurIPS 2021.
 *
 * <p>Dual: w* = argmin over the simplex of F(w) = bᵀw + ρ√(wᵀHw), b = H1/T, ρ = c‖ḡ‖ = c√(1ᵀH1)/T; then
 * λ = ρ/‖g_{w*}‖ and d = ḡ + λ g_{w*}, effective weights u = 1/T + λw*. Solved by alternating exact QPs on
 * F(w) = min_{s&gt;0} bᵀw + ρ(wᵀHw/(2s) + s/2) (jointly convex), warm-started, until the KKT residual of F is
 * ≤ 1e-9 (logged). When g_{w*} ≈ 0 (0 in the hull) the formula is 0/0: d = ḡ, flagged {@code degenerate}
 * (LibMTL yields ≈ ḡ, torchjd 0). c = 0.5; {@code rescale}: none (paper formula, torchjd; default), 1+c²
 * (LibMTL's default and the official NYUv2 code), 1+c (official toy). Native u (Σu = 1 + λ);
 * canonical T·u/rescale (κ = T); heads h = 1.
 */
public final class CaGrad implements GramianWeighting {
    /** The factor the direction is divided by: 1 (the paper's formula), 1 + c² or 1 + c. */
    public enum Rescale {
        /** No rescaling. */
        NONE("none"),
        /** Divide by 1 + c² (LibMTL rescale 1). */
        ONE_PLUS_C_SQUARED("1+c^2"),
        /** Divide by 1 + c (LibMTL rescale 2). */
        ONE_PLUS_C("1+c");

        private final String configName;

        Rescale(String configName) {
            this.configName = configName;
        }

        double factor(double c) {
            return switch (this) {
                case NONE -> 1;
                case ONE_PLUS_C_SQUARED -> 1 + c * c;
                case ONE_PLUS_C -> 1 + c;
            };
        }

        @Override
        public String toString() {
            return configName;
        }
    }

    private final double c;
    private final double rescale;
    private double[] warm;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public CaGrad(double c, Rescale rescale) {
        this.c = c;
        this.rescale = rescale.factor(c);
    }

    @Override
    public String name() {
        return "cagrad";
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
        double tr = Mat.trace(raw);
        if (tr == 0) {
            extras.put("zero_jacobian", true);
            return Aggregation.result(new double[t], extras);
        }
        double[][] h = Mat.scale(raw, 1 / tr); // scale-free solve; λ and u are invariant to scaling H
        double[] b = Mat.scale(Mat.mul(h, Mat.fill(t, 1)), 1.0 / t);
        double rho = c * Math.sqrt(Math.max(Mat.sum(Mat.mul(h, Mat.fill(t, 1))), 0)) / t;
        double[] u = Mat.fill(t, 1.0 / t);
        if (rho == 0 || c == 0) {
            return Aggregation.result(Mat.scale(u, t / rescale), extras);
        }
        double[] w = warm != null && warm.length == t ? warm.clone() : Mat.fill(t, 1.0 / t);
        double norm = Math.sqrt(Math.max(Mat.quad(h, w), 0));
        double residual = Double.NaN;
        int it;
        for (it = 0; it < 500; it++) {
            if (norm < 1e-12) {
                break;
            }
            Qp.Solution s = Qp.simplex(Mat.scale(h, rho / norm), b, w);
            w = s.x();
            norm = Math.sqrt(Math.max(Mat.quad(h, w), 0));
            residual = kkt(h, b, rho, w, norm);
            if (residual <= 1e-9) {
                break;
            }
        }
        if (norm < 1e-9 * Math.sqrt(1.0 / t)) {
            extras.put("degenerate", true);
            warm = null;
            return Aggregation.result(Mat.scale(u, t / rescale), extras);
        }
        warm = w.clone();
        double lambda = rho / norm;
        for (int i = 0; i < t; i++) {
            u[i] += lambda * w[i];
        }
        extras.put("w_star", w);
        extras.put("lambda", lambda);
        extras.put("kkt_residual", residual);
        extras.put("iterations", it + 1);
        return Aggregation.result(Mat.scale(u, t / rescale), extras);
    }

    @Override
    public Map<String, double[]> state() {
        return warm == null ? Map.of() : Map.of("warm", warm.clone()); // the solver's start decides its last digits
    }

    @Override
    public void restore(Map<String, double[]> s) {
        warm = s.containsKey("warm") ? s.get("warm").clone() : null;
    }

    /** KKT residual of F at w: ∇F = b + ρHw/‖g_w‖ equal to its minimum on the support, ≥ it elsewhere. */
    static double kkt(double[][] h, double[] b, double rho, double[] w, double norm) {
        double[] hw = Mat.mul(h, w);
        int t = w.length;
        double[] grad = new double[t];
        double mu = Double.POSITIVE_INFINITY;
        double scale = 1e-300;
        for (int i = 0; i < t; i++) {
            grad[i] = b[i] + rho * hw[i] / norm;
            mu = Math.min(mu, grad[i]);
            scale = Math.max(scale, Math.abs(grad[i]));
        }
        double r = 0;
        for (int i = 0; i < t; i++) {
            if (w[i] > 1e-9) {
                r = Math.max(r, (grad[i] - mu) / scale);
            }
        }
        return r;
    }
}
