package dev.mtlj.balance;

import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.matrix.store.RawStore;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.convex.ConvexSolver;

/**
 * The small convex quadratic programs of the aggregators, solved by ojAlgo's {@link ConvexSolver} and then
 * checked against their KKT conditions (no silent approximation: the residual is returned and callers log it).
 *
 * <p>Problems: min ½xᵀQx + cᵀx subject to x ≥ lower and, optionally, Σx = 1.
 *
 * <p>One class over 300 lines on purpose: the active-set method, its KKT check and the ojAlgo fallback work on the same
 * scaled problem and share its invariants; split apart they would pass the scaled Q, c, bounds and mode between files.
 */
final class Qp {
    static {
        Mat.initOjAlgo();
    }

    /**
     * @param x        the solution
     * @param residual max KKT violation, relative to the problem's scale
     */
    record Solution(double[] x, double residual) {}

    private Qp() {}

    /** min ½xᵀQx + cᵀx on the probability simplex. */
    static Solution simplex(double[][] q, double[] c) {
        return solve(q, c, new double[q.length], true, null);
    }

    /** As {@link #simplex(double[][], double[])}, starting large problems from the free variables of {@code warm}. */
    static Solution simplex(double[][] q, double[] c, double[] warm) {
        return solve(q, c, new double[q.length], true, warm);
    }

    /** min ½xᵀQx + cᵀx subject to x ≥ lower. */
    static Solution boxBelow(double[][] q, double[] c, double[] lower) {
        return solve(q, c, lower, false, null);
    }

    /**
     * Problems above this size start from {@link ActiveSetQp} (Cholesky updates, warm starts) instead of the plain
     * feasible point; at or below it the path is the one every recorded result was computed with.
     */
    static final int LARGE = 16;

    private static Solution solve(double[][] q, double[] c, double[] lower, boolean simplex, double[] warm) {
        int n = q.length;
        double scale = Math.max(Mat.trace(q) / n, 1e-300);
        double[][] qs = Mat.scale(Mat.symmetric(q), 1 / scale);
        double[] cs = Mat.scale(c, 1 / scale);
        // The exact active-set method alone, from a plain feasible point, settles these small problems in a few
        // iterations; ojAlgo is the fallback when it does not reach a KKT point. (Going to ojAlgo first cost
        // ~0.1 ms a call warm and several ms in a fresh JVM: benchmarks/results/2026-11-23-epyc-2core.md.) Large
        // problems first run the Cholesky-updating active set on Q + δI (δ = 1e-10 of the mean diagonal, so a
        // semidefinite Q works), then the same exact polish on Q itself from where it ended.
        double[] start = n > LARGE ? largeStart(qs, cs, lower, simplex, warm) : null;
        if (start != null) {
            double residual = kkt(qs, cs, lower, start, simplex);
            if (residual <= QUICK_KKT) { // already a KKT point of Q itself: no polish needed
                return new Solution(start, residual);
            }
        }
        double[] quick = polish(qs, cs, lower, start != null ? start : feasible(lower, simplex), simplex);
        if (quick != null) {
            double residual = kkt(qs, cs, lower, quick, simplex);
            if (residual <= QUICK_KKT) {
                return new Solution(quick, residual);
            }
        }
        return solveOjAlgo(qs, cs, lower, simplex);
    }

    private static double[] largeStart(double[][] qs, double[] cs, double[] lower, boolean simplex, double[] warm) {
        int n = qs.length;
        double[][] reg = new double[n][];
        for (int i = 0; i < n; i++) {
            reg[i] = qs[i].clone();
            reg[i][i] += 1e-10;
        }
        return ActiveSetQp.solve(
                reg, cs, lower, simplex, warm == null ? null : ActiveSetQp.freeOf(warm, new double[n]));
    }

    /** The largest KKT residual at which the active-set answer is taken without consulting ojAlgo. */
    private static final double QUICK_KKT = 1e-10;

    private static double[] feasible(double[] lower, boolean simplex) {
        double[] x = new double[lower.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = simplex ? 1.0 / x.length : lower[i];
        }
        return x;
    }

    private static Solution solveOjAlgo(double[][] qs, double[] cs, double[] lower, boolean simplex) {
        int n = qs.length;
        double[][] neg = new double[n][n];
        double[] negLower = new double[n];
        for (int i = 0; i < n; i++) {
            neg[i][i] = -1;
            negLower[i] = -lower[i];
        }
        ConvexSolver.Builder b = ConvexSolver.newBuilder()
                // ojAlgo minimises ½xᵀQx − cᵀx: pass −c
                .objective(R064Store.FACTORY.copy(RawStore.wrap(qs)), R064Store.FACTORY.column(Mat.scale(cs, -1.0)))
                .inequalities(R064Store.FACTORY.copy(RawStore.wrap(neg)), R064Store.FACTORY.column(negLower));
        if (simplex) {
            b.equalities(
                    R064Store.FACTORY.copy(RawStore.wrap(new double[][] {Mat.fill(n, 1)})),
                    R064Store.FACTORY.column(1.0));
        }
        // ojAlgo's iterative active set can cycle on degenerate problems (seen under property tests): cap its
        // iterations; if it gives up, the exact refinement below starts from a plain feasible point instead
        Optimisation.Options options = new Optimisation.Options();
        options.iterations_abort = 200 + 50 * n;
        Optimisation.Result r = b.build(options).solve();
        double[] x = new double[n];
        boolean finite = r.getState().isFeasible();
        for (int i = 0; i < n && finite; i++) {
            x[i] = r.doubleValue(i);
            finite = Double.isFinite(x[i]);
        }
        if (!finite) {
            // ojAlgo gives up on some degenerate problems (e.g. a rank-1 Q whose optimum is 0): start the exact
            // refinement from a plain feasible point instead
            x = feasible(lower, simplex);
        }
        double[] refined = polish(qs, cs, lower, x, simplex);
        double[] best = x;
        double residual =
                finite ? kkt(qs, cs, lower, clampToFeasible(x, lower, simplex), simplex) : Double.POSITIVE_INFINITY;
        if (refined != null) {
            double refinedResidual = kkt(qs, cs, lower, refined, simplex);
            if (refinedResidual <= residual) {
                return new Solution(refined, refinedResidual);
            }
        }
        if (!finite) {
            throw new IllegalStateException(
                    "QP solver failed (ojAlgo state " + r.getState() + ", refinement did not converge)");
        }
        return new Solution(clampToFeasible(best, lower, simplex), residual);
    }

    private static double[] clampToFeasible(double[] x, double[] lower, boolean simplex) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(lower[i], x[i]);
        }
        if (simplex) {
            double s = Mat.sum(y);
            for (int i = 0; i < y.length; i++) {
                y[i] = s > 0 ? y[i] / s : 1.0 / y.length;
            }
        }
        return y;
    }

    /**
     * Primal active-set refinement (J. Nocedal, S. J. Wright, "Numerical Optimization", 2nd ed., Algorithm 16.3)
     * started from the iterative solver's point: each iteration solves the equality-constrained subproblem on the
     * free variables exactly (pseudo-inverse of its KKT matrix, so singular Q is fine), steps towards it until a
     * bound blocks, and releases the bound with the most negative multiplier once the subproblem is solved. With
     * few variables this terminates in a handful of iterations at an exact vertex/face solution.
     */
    private static double[] polish(double[][] q, double[] c, double[] lower, double[] start, boolean simplex) {
        int n = start.length;
        double[] x = start.clone();
        double scale = 1e-300;
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(x[i], lower[i]);
            scale = Math.max(scale, Math.abs(x[i]));
        }
        if (simplex) {
            double sum = Mat.sum(x);
            for (int i = 0; i < n; i++) {
                x[i] = sum > 0 ? x[i] / sum : 1.0 / n;
            }
        }
        boolean[] atBound = new boolean[n];
        for (int i = 0; i < n; i++) {
            atBound[i] = x[i] - lower[i] <= 1e-9 * scale;
            if (atBound[i]) {
                x[i] = lower[i];
            }
        }
        for (int iter = 0; iter < 20 * n + 20; iter++) {
            int[] free = java.util.stream.IntStream.range(0, n)
                    .filter(i -> !atBound[i])
                    .toArray();
            if (simplex && free.length == 0) {
                int best = 0;
                for (int i = 1; i < n; i++) {
                    best = c[i] + q[i][i] < c[best] + q[best][best] ? i : best;
                }
                atBound[best] = false;
                continue;
            }
            double[] target = subproblem(q, c, lower, atBound, free, simplex);
            double[] p = new double[n];
            double pmax = 0;
            for (int i : free) {
                p[i] = target[i] - x[i];
                pmax = Math.max(pmax, Math.abs(p[i]));
            }
            if (pmax <= 1e-14 * Math.max(scale, 1)) {
                double[] g = Mat.mul(q, x);
                double mu = 0;
                for (int i = 0; i < n; i++) {
                    g[i] += c[i];
                }
                if (simplex) {
                    for (int i : free) {
                        mu += g[i] / free.length;
                    }
                }
                int release = -1;
                double worst = -1e-12 * Math.max(1, Math.abs(mu));
                for (int i = 0; i < n; i++) {
                    if (atBound[i] && g[i] - mu < worst) {
                        worst = g[i] - mu;
                        release = i;
                    }
                }
                if (release < 0) {
                    return x;
                }
                atBound[release] = false;
                continue;
            }
            double step = 1;
            int blocking = -1;
            for (int i : free) {
                if (p[i] < 0) {
                    double a = (lower[i] - x[i]) / p[i];
                    if (a < step) {
                        step = a;
                        blocking = i;
                    }
                }
            }
            for (int i : free) {
                x[i] += step * p[i];
            }
            if (blocking >= 0) {
                x[blocking] = lower[blocking];
                atBound[blocking] = true;
            }
        }
        return null;
    }

    /** Minimiser of the quadratic with the bound variables fixed (and Σx = 1), by a pseudo-inverse KKT solve. */
    private static double[] subproblem(
            double[][] q, double[] c, double[] lower, boolean[] atBound, int[] free, boolean simplex) {
        int n = lower.length;
        int f = free.length;
        if (f == 0) {
            return lower.clone();
        }
        int m = simplex ? f + 1 : f;
        double[][] k = new double[m][m];
        double[] rhs = new double[m];
        double fixedSum = 0;
        for (int j = 0; j < n; j++) {
            if (atBound[j]) {
                fixedSum += lower[j];
            }
        }
        for (int a = 0; a < f; a++) {
            int i = free[a];
            rhs[a] = -c[i];
            for (int j = 0; j < n; j++) {
                if (atBound[j]) {
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
            rhs[f] = -(1 - fixedSum);
        }
        double[] sol = Mat.pinvSolve(k, rhs, 1e-13);
        double[] out = lower.clone();
        for (int a = 0; a < f; a++) {
            out[free[a]] = sol[a];
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
        double qMax = 0;
        double xMax = 0;
        double cMax = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qMax = Math.max(qMax, Math.abs(q[i][j]));
            }
            xMax = Math.max(xMax, Math.abs(x[i]));
            cMax = Math.max(cMax, Math.abs(c[i]));
        }
        double gScale = Math.max(1e-300, qMax * xMax + cMax); // the size of the terms in g, not g itself (g may be ~0)
        for (int i = 0; i < n; i++) {
            g[i] += c[i];
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
            res = Math.max(res, v / Math.max(gScale, Math.abs(mu)));
        }
        return res;
    }
}
