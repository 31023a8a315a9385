package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Solves α_i · (Hα)_i^{p} = 1 type systems shared by Nash-MTL (Hα = 1/α) and FairGrad (Hα = α^{−1/p}): the unique
 * minimiser over α &gt; 0 of f(α) = ½αᵀHα − Σ φ(α_i) with φ'(a) = a^{−1/p} (φ = log for p = 1), by damped Newton
 * (gradient Hα − α^{−1/p}, Hessian H + diag((1/p)α^{−1/p−1}), backtracking that keeps α &gt; 0). A solution exists iff
 * 0 is not in the convex hull of the gradients (our derivation, docs/methods.md#nash-mtl-nash-mtl).
 */
final class Bargaining {
    /** How a solve ended. */
    enum Status {
        /** α solves the system (residual ≤ 1e-8). */
        SOLVED,
        /** Every gradient is zero: d = 0. */
        ZERO_JACOBIAN,
        /** 0 lies in the convex hull of the nonzero gradients (Pareto-stationary): no solution exists, d = 0. */
        PARETO_STATIONARY
    }

    /**
     * @param alpha      the solution, 0 for zero rows (all zeros unless SOLVED)
     * @param residual   max_i |α_i^{1/p}(Hα)_i − 1| over the nonzero rows (SOLVED), else 0
     * @param minNormSq  the min-norm point of the nonzero rows' hull, squared, relative to max H_ii: its certificate
     *                   when PARETO_STATIONARY (≤ T·ε)
     * @param iterations Newton steps taken
     */
    record Solution(double[] alpha, double residual, double minNormSq, int iterations, Status status) {}

    private Bargaining() {}

    /**
     * Solves the system over the nonzero rows of H (a task whose gradient is zero has nothing to bargain with and gets
     * α = 0; it does not change d). Throws {@link SolverException} naming {@code method} if Newton does not reach a
     * residual of 1e-8.
     *
     * @param tolerance relative threshold under which the hull's min-norm point counts as 0 (T·ε of the input)
     */
    static Solution solve(String method, double[][] h, double p, double[] start, double tolerance) {
        int t = h.length;
        int[] active =
                java.util.stream.IntStream.range(0, t).filter(i -> h[i][i] > 0).toArray();
        if (active.length == 0) {
            return new Solution(new double[t], 0, 0, 0, Status.ZERO_JACOBIAN);
        }
        double[][] sub = new double[active.length][active.length];
        double[] subStart = start == null || start.length != t ? null : new double[active.length];
        for (int a = 0; a < active.length; a++) {
            for (int b = 0; b < active.length; b++) {
                sub[a][b] = h[active[a]][active[b]];
            }
            if (subStart != null) {
                subStart[a] = start[active[a]];
            }
        }
        double minNorm = Aggregation.relativeMinNorm(sub);
        if (minNorm <= tolerance) {
            return new Solution(new double[t], 0, minNorm, 0, Status.PARETO_STATIONARY);
        }
        double[] subAlpha = new double[active.length];
        int[] iterations = new int[1];
        double r = newton(sub, p, subStart, subAlpha, iterations);
        if (!(r <= 1e-8)) {
            throw new SolverException(method + ": the bargaining system did not converge (residual " + r + " after "
                    + iterations[0] + " Newton steps, T = " + t + ", relative min-norm² of the hull " + minNorm + ")");
        }
        double[] alpha = new double[t];
        for (int a = 0; a < active.length; a++) {
            alpha[active[a]] = subAlpha[a];
        }
        return new Solution(alpha, r, minNorm, iterations[0], Status.SOLVED);
    }

    /** Damped Newton from {@code start} (or a scale-aware default) into {@code out}; returns the final residual. */
    private static double newton(double[][] h, double p, double[] start, double[] out, int[] iterations) {
        int t = h.length;
        double maxDiag = 0;
        for (int i = 0; i < t; i++) {
            maxDiag = Math.max(maxDiag, h[i][i]);
        }
        double[] a = new double[t];
        boolean warm = start != null && start.length == t;
        for (int i = 0; i < t; i++) {
            warm &= start != null && start[i] > 0 && Double.isFinite(start[i]);
        }
        for (int i = 0; i < t; i++) {
            a[i] = warm ? start[i] : Math.pow(maxDiag, -p / (p + 1));
        }
        int it;
        for (it = 0; it < 200; it++) {
            double[] ha = Mat.mul(h, a);
            double[] g = new double[t];
            double[][] hess = new double[t][t];
            for (int i = 0; i < t; i++) {
                g[i] = ha[i] - Math.pow(a[i], -1 / p);
                System.arraycopy(h[i], 0, hess[i], 0, t);
                hess[i][i] += (1 / p) * Math.pow(a[i], -1 / p - 1);
            }
            if (residual(h, a, p) <= 1e-13) {
                break;
            }
            double[] step = solve(hess, g);
            double f0 = objective(h, a, p);
            double r0 = residual(h, a, p);
            double s = 1;
            double[] next = new double[t];
            while (s > 1e-20) {
                boolean positive = true;
                for (int i = 0; i < t; i++) {
                    next[i] = a[i] - s * step[i];
                    positive &= next[i] > 0;
                }
                // Armijo on f, or (near the solution, where f is flat to rounding) a smaller KKT residual
                if (positive
                        && (objective(h, next, p) <= f0 - 1e-4 * s * Mat.dot(g, step)
                                || residual(h, next, p) < 0.5 * r0)) {
                    break;
                }
                s *= 0.5;
            }
            if (s <= 1e-20) {
                break;
            }
            System.arraycopy(next, 0, a, 0, t);
        }
        System.arraycopy(a, 0, out, 0, t);
        iterations[0] = it;
        return residual(h, a, p);
    }

    /** The diagnostics of an unsolved system: its flag and, when stationary, the min-norm certificate. */
    static Map<String, Object> describe(Solution s) {
        Map<String, Object> extras = new LinkedHashMap<>();
        if (s.status() == Status.ZERO_JACOBIAN) {
            extras.put("zero_jacobian", true);
        } else {
            extras.put("pareto_stationary", true);
            extras.put("min_norm_sq", s.minNormSq());
        }
        return extras;
    }

    private static double objective(double[][] h, double[] a, double p) {
        double f = 0.5 * Mat.quad(h, a);
        for (double v : a) {
            f -= p == 1 ? Math.log(v) : Math.pow(v, 1 - 1 / p) / (1 - 1 / p);
        }
        return f;
    }

    static double residual(double[][] h, double[] a, double p) {
        double[] ha = Mat.mul(h, a);
        double r = 0;
        for (int i = 0; i < a.length; i++) {
            r = Math.max(r, Math.abs(Math.pow(a[i], 1 / p) * ha[i] - 1));
        }
        return r;
    }

    /** Gaussian elimination with partial pivoting (small dense systems). */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tr = a[c];
            a[c] = a[piv];
            a[piv] = tr;
            double tb = x[c];
            x[c] = x[piv];
            x[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                x[r] -= f * x[c];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double s = x[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
