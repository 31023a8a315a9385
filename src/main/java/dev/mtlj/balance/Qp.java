package dev.mtlj.balance;

import java.io.OutputStream;
import java.io.PrintStream;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.convex.ConvexSolver;
import org.ojalgo.matrix.store.R064Store;

/**
 * The small convex quadratic programs of the aggregators, solved by ojAlgo's {@link ConvexSolver} and then
 * checked against their KKT conditions (no silent approximation: the residual is returned and callers log it).
 *
 * <p>Problems: min ½xᵀQx + cᵀx subject to x ≥ lower and, optionally, Σx = 1.
 */
final class Qp {
    static {
        // ojAlgo prints a hardware-profile banner on System.out when it first initialises; that would corrupt
        // machine-readable output (mtlj aggregate prints JSON). Initialise it once with System.out muted.
        synchronized (System.class) {
            PrintStream out = System.out;
            try {
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                org.ojalgo.OjAlgoUtils.ENVIRONMENT.toString();
            } finally {
                System.setOut(out);
            }
        }
    }

    /**
     * @param x        the solution
     * @param residual max KKT violation, relative to the problem's scale
     */
    record Solution(double[] x, double residual) {}

    private Qp() {}

    /** min ½xᵀQx + cᵀx on the probability simplex. */
    static Solution simplex(double[][] q, double[] c) {
        return solve(q, c, new double[q.length], true);
    }

    /** min ½xᵀQx + cᵀx subject to x ≥ lower. */
    static Solution boxBelow(double[][] q, double[] c, double[] lower) {
        return solve(q, c, lower, false);
    }

    private static Solution solve(double[][] q, double[] c, double[] lower, boolean simplex) {
        int n = q.length;
        double scale = Math.max(Mat.trace(q) / n, 1e-300);
        double[][] qs = Mat.scale(Mat.symmetric(q), 1 / scale);
        double[] cs = Mat.scale(c, 1 / scale);
        double[][] neg = new double[n][n];
        double[] negLower = new double[n];
        for (int i = 0; i < n; i++) {
            neg[i][i] = -1;
            negLower[i] = -lower[i];
        }
        ConvexSolver.Builder b = ConvexSolver.newBuilder()
                // ojAlgo minimises ½xᵀQx − cᵀx: pass −c
                .objective(R064Store.FACTORY.rows(qs), R064Store.FACTORY.column(Mat.scale(cs, -1.0)))
                .inequalities(R064Store.FACTORY.rows(neg), R064Store.FACTORY.column(negLower));
        if (simplex) {
            b.equalities(R064Store.FACTORY.rows(new double[][] {Mat.fill(n, 1)}), R064Store.FACTORY.column(1.0));
        }
        Optimisation.Result r = b.build().solve();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(lower[i], r.doubleValue(i));
        }
        if (simplex) {
            double s = Mat.sum(x);
            for (int i = 0; i < n; i++) {
                x[i] /= s;
            }
        }
        double residual = kkt(qs, cs, lower, x, simplex);
        double[] polished = polish(qs, cs, lower, x, simplex);
        if (polished != null) {
            double polishedResidual = kkt(qs, cs, lower, polished, simplex);
            if (polishedResidual <= residual) {
                return new Solution(polished, polishedResidual);
            }
        }
        return new Solution(x, residual);
    }

    /**
     * Exact re-solve on the support the iterative solver found: with F the free variables and the others at their
     * bounds, the stationarity (and sum) conditions are a small linear system, solved by a pseudo-inverse. Returns
     * null if the result leaves the feasible set (the support guess was wrong).
     */
    private static double[] polish(double[][] q, double[] c, double[] lower, double[] x, boolean simplex) {
        int n = x.length;
        double largest = 1e-300;
        for (double v : x) {
            largest = Math.max(largest, Math.abs(v));
        }
        final double xScale = largest;
        int[] free = java.util.stream.IntStream.range(0, n).filter(i -> x[i] - lower[i] > 1e-7 * xScale).toArray();
        int f = free.length;
        if (f == 0) {
            return null;
        }
        int m = simplex ? f + 1 : f;
        double[][] k = new double[m][m];
        double[] rhs = new double[m];
        double fixedSum = 0;
        for (int a = 0; a < f; a++) {
            int i = free[a];
            rhs[a] = -c[i];
            for (int j = 0; j < n; j++) {
                if (java.util.Arrays.binarySearch(free, j) < 0) {
                    rhs[a] -= q[i][j] * lower[j];
                }
            }
            for (int b = 0; b < f; b++) {
                k[a][b] = q[i][free[b]];
            }
            if (simplex) {
                k[a][f] = -1;
                k[f][a] = -1;
            }
        }
        if (simplex) {
            for (int j = 0; j < n; j++) {
                if (java.util.Arrays.binarySearch(free, j) < 0) {
                    fixedSum += lower[j];
                }
            }
            rhs[f] = -(1 - fixedSum);
        }
        double[] sol = Mat.pinvSolve(k, rhs, 1e-13);
        double[] out = lower.clone();
        for (int a = 0; a < f; a++) {
            out[free[a]] = sol[a];
            if (sol[a] < lower[free[a]] - 1e-12 * xScale) {
                return null;
            }
            out[free[a]] = Math.max(sol[a], lower[free[a]]);
        }
        return out;
    }

    /**
     * KKT residual of x: with g = Qx + c and μ the equality multiplier (0 without it), stationarity requires
     * g_i = μ where x_i > lower_i and g_i ≥ μ where x_i = lower_i.
     */
    static double kkt(double[][] q, double[] c, double[] lower, double[] x, boolean simplex) {
        int n = x.length;
        double[] g = Mat.mul(q, x);
        double gScale = 1e-300;
        for (int i = 0; i < n; i++) {
            g[i] += c[i];
            gScale = Math.max(gScale, Math.abs(g[i]));
        }
        double mu = 0;
        if (simplex) {
            double best = -1;
            for (int i = 0; i < n; i++) {
                if (x[i] - lower[i] > best) {
                    best = x[i] - lower[i];
                    mu = g[i];
                }
            }
        }
        double xScale = 1e-300;
        for (int i = 0; i < n; i++) {
            xScale = Math.max(xScale, Math.abs(x[i]));
        }
        double res = 0;
        for (int i = 0; i < n; i++) {
            boolean free = x[i] - lower[i] > 1e-9 * xScale;
            double v = free ? Math.abs(g[i] - mu) : Math.max(0, mu - g[i]);
            res = Math.max(res, v / Math.max(gScale, Math.abs(mu)) );
        }
        return res;
    }
}
