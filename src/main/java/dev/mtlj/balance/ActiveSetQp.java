package dev.mtlj.balance;

import java.util.ArrayList;
import java.util.List;

/**
 * A primal active-set method (J. Nocedal, S. J. Wright, "Numerical Optimization", 2nd ed., Algorithm 16.3) for
 * min ½xᵀQx + cᵀx subject to x ≥ l and, optionally, Σx = 1, that scales to hundreds of variables: the free variables'
 * block of Q is kept as a Cholesky factor updated in O(k²) when a variable joins or leaves the free set, the gradient
 * is updated along each step, and a starting free set can be given (CAGrad's successive problems differ only in
 * Q's scale). Q must be positive definite on the free sets it meets; callers add δI for a positive semidefinite Q and then
 * polish the answer exactly on the unregularised problem ({@link Qp}). Heap only.
 */
final class ActiveSetQp {
    private final double[][] q;
    private final double[] c;
    private final double[] lower;
    private final boolean simplex;
    private final int n;
    private final List<Integer> free = new ArrayList<>();
    private final boolean[] isFree;
    /** Lower-triangular L with Q_FF = LLᵀ, in the order of {@link #free}; row i holds columns 0..i. */
    private final double[][] l;

    private ActiveSetQp(double[][] q, double[] c, double[] lower, boolean simplex) {
        this.q = q;
        this.c = c;
        this.lower = lower;
        this.simplex = simplex;
        this.n = lower.length;
        this.isFree = new boolean[n];
        this.l = new double[n][];
    }

    /**
     * An (approximate, for regularised Q exact) solution, or null if the iteration budget ran out.
     *
     * @param start free variables to start from (may be empty or null)
     */
    static double[] solve(double[][] q, double[] c, double[] lower, boolean simplex, int[] start) {
        return new ActiveSetQp(q, c, lower, simplex).run(start);
    }

    private double[] run(int[] start) {
        double[] x = lower.clone();
        if (start != null) {
            for (int i : start) {
                if (!isFree[i] && !add(i)) {
                    break;
                }
            }
        }
        if (simplex) {
            if (free.isEmpty()) { // a vertex: the variable with the smallest diagonal cost
                int best = 0;
                for (int i = 1; i < n; i++) {
                    best = c[i] + q[i][i] / 2 < c[best] + q[best][best] / 2 ? i : best;
                }
                add(best);
            }
            double rest = 1 - Mat.sum(lower);
            for (int i : free) {
                x[i] += rest / free.size();
            }
        }
        double[] g = gradient(x);
        for (int iter = 0; iter < 10 * n + 50; iter++) {
            double[] target = subproblem(g, x);
            if (target == null) {
                return null;
            }
            double pmax = 0;
            double xmax = 1e-300;
            for (int a = 0; a < free.size(); a++) {
                int i = free.get(a);
                pmax = Math.max(pmax, Math.abs(target[a] - x[i]));
                xmax = Math.max(xmax, Math.abs(x[i]));
            }
            if (pmax <= 1e-13 * Math.max(1, xmax)) {
                double mu = multiplier(g);
                int release = -1;
                double worst = -1e-12 * Math.max(1, Math.abs(mu));
                for (int i = 0; i < n; i++) {
                    if (!isFree[i] && g[i] - mu < worst) {
                        worst = g[i] - mu;
                        release = i;
                    }
                }
                if (release < 0) {
                    return x;
                }
                if (!add(release)) {
                    return null;
                }
                continue;
            }
            double step = 1;
            int blocking = -1;
            for (int a = 0; a < free.size(); a++) {
                int i = free.get(a);
                double p = target[a] - x[i];
                if (p < 0) {
                    double s = (lower[i] - x[i]) / p;
                    if (s < step) {
                        step = s;
                        blocking = a;
                    }
                }
            }
            for (int a = 0; a < free.size(); a++) {
                int i = free.get(a);
                double d = step * (target[a] - x[i]);
                if (d != 0) {
                    x[i] += d;
                    axpy(g, q[i], d);
                }
            }
            if (blocking >= 0) {
                int i = free.get(blocking);
                double d = lower[i] - x[i];
                x[i] = lower[i];
                axpy(g, q[i], d);
                remove(blocking);
            }
        }
        return null;
    }

    private double[] gradient(double[] x) {
        double[] g = Mat.mul(q, x);
        for (int i = 0; i < n; i++) {
            g[i] += c[i];
        }
        return g;
    }

    /** The equality multiplier at a subproblem solution: the free variables' common gradient (0 without Σx = 1). */
    private double multiplier(double[] g) {
        if (!simplex || free.isEmpty()) {
            return 0;
        }
        double mu = 0;
        for (int i : free) {
            mu += g[i] / free.size();
        }
        return mu;
    }

    /**
     * The minimiser over the free variables (bound ones fixed): Q_FF(x_F + s) = −g_F for the step s, plus, with Σx = 1,
     * the multiple of Q_FF⁻¹1 that keeps the sum.
     */
    private double[] subproblem(double[] g, double[] x) {
        int k = free.size();
        double[] rhs = new double[k];
        for (int a = 0; a < k; a++) {
            rhs[a] = -g[free.get(a)];
        }
        double[] s = cholSolve(rhs);
        if (simplex) {
            double[] ones = new double[k];
            java.util.Arrays.fill(ones, 1);
            double[] u = cholSolve(ones);
            double su = Mat.sum(u);
            if (!(Math.abs(su) > 0)) {
                return null;
            }
            double shift = -Mat.sum(s) / su; // Σ s = 0 keeps Σx = 1
            for (int a = 0; a < k; a++) {
                s[a] += shift * u[a];
            }
        }
        double[] t = new double[k];
        for (int a = 0; a < k; a++) {
            t[a] = x[free.get(a)] + s[a];
            if (!Double.isFinite(t[a])) {
                return null;
            }
        }
        return t;
    }

    /** g += d·row (Q is symmetric, so its row i is its column i). */
    private static void axpy(double[] g, double[] row, double d) {
        for (int k = 0; k < g.length; k++) {
            g[k] += row[k] * d;
        }
    }

    /** Adds variable i to the free set, extending L; false if Q_FF would not stay positive definite. */
    private boolean add(int i) {
        int k = free.size();
        double[] qi = q[i];
        double[] w = new double[k + 1];
        for (int a = 0; a < k; a++) { // L w = Q_F,i
            double s = qi[free.get(a)];
            double[] la = l[a];
            for (int b = 0; b < a; b++) {
                s -= la[b] * w[b];
            }
            w[a] = s / la[a];
        }
        double d = qi[i];
        for (int a = 0; a < k; a++) {
            d -= w[a] * w[a];
        }
        if (!(d > 1e-14 * Math.max(qi[i], 1e-300))) {
            return false;
        }
        w[k] = Math.sqrt(d);
        l[k] = w;
        free.add(i);
        isFree[i] = true;
        return true;
    }

    /**
     * Removes the a-th free variable: drops its row of L, which leaves the rows below with one entry too many, and
     * restores the triangle by Givens rotations of neighbouring columns.
     */
    private void remove(int a) {
        int k = free.size();
        for (int row = a; row < k - 1; row++) {
            l[row] = l[row + 1];
        }
        l[k - 1] = null;
        for (int col = a; col < k - 1; col++) { // row col has entries up to col + 1: rotate columns col, col + 1
            double x = l[col][col];
            double y = l[col][col + 1];
            double norm = Math.hypot(x, y);
            double cs = norm == 0 ? 1 : x / norm;
            double sn = norm == 0 ? 0 : y / norm;
            for (int row = col; row < k - 1; row++) {
                double[] lr = l[row];
                double u = lr[col];
                double v = lr[col + 1];
                lr[col] = cs * u + sn * v;
                lr[col + 1] = -sn * u + cs * v;
            }
            l[col] = java.util.Arrays.copyOf(l[col], col + 1); // its last entry is now 0
        }
        isFree[free.remove(a)] = false;
    }

    /** Solves LLᵀx = b. */
    private double[] cholSolve(double[] b) {
        int k = b.length;
        double[] w = b.clone();
        for (int i = 0; i < k; i++) { // L w = b
            double[] li = l[i];
            double s = w[i];
            for (int j = 0; j < i; j++) {
                s -= li[j] * w[j];
            }
            w[i] = s / li[i];
        }
        for (int i = k - 1; i >= 0; i--) { // Lᵀ x = w, column by column
            double[] li = l[i];
            w[i] /= li[i];
            double xi = w[i];
            for (int j = 0; j < i; j++) {
                w[j] -= li[j] * xi;
            }
        }
        return w;
    }

    /** The free variables of a solution (those above their bound), to start a related problem from. */
    static int[] freeOf(double[] x, double[] lower) {
        double scale = 1e-300;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] - lower[i] > 1e-9 * scale) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
