package dev.mtlj.balance;

import java.util.Map;
import java.util.Set;

/**
 * Apply any balancer to a given Jacobian, outside training: what a method does to your gradients, and a way to
 * check mtlj against other implementations (methods.md §8.8).
 *
 * <p>Rows of {@code jacobian} are the task gradients g_i in task order. Stateful methods run one step from their
 * documented initial state; {@code history} (oldest first) supplies DWA's epoch means (its last two rows) and
 * GradNorm's L(0) (its first row); GradNorm reads n_i = ‖g_i‖ (the rows are taken as gradients w.r.t. the layer it
 * balances on). The output is on the canonical scale unless {@code nativeScale}: canonical = κ·native.
 */
public final class Standalone {
    /**
     * @param weights   effective weights w (d = Jᵀw)
     * @param direction d = Σ_i w_i g_i
     * @param extras    the method's diagnostics
     */
    public record Result(double[] weights, double[] direction, Map<String, Object> extras) {}

    private static final Set<String> KAPPA_T = Set.of("rlw", "famo", "mgda", "mgda-ub", "cagrad", "imtl-g", "imtl-g-ub",
            "upgrad", "dualproj", "moco");

    private Standalone() {}

    /** The factor κ with canonical = κ·native for method {@code name} and T tasks (methods.md §8.2). */
    public static double kappa(String name, int tasks) {
        return KAPPA_T.contains(name) ? tasks : 1;
    }

    /**
     * Least-squares effective weights w = H⁺(Jd) of a direction that is not an exact combination of the rows
     * (methods.md §8.3): {@code jd} holds ⟨g_i, d⟩.
     */
    public static double[] leastSquaresWeights(double[][] gramian, double[] jd) {
        return Mat.pinvSolve(gramian, jd, 1e-12);
    }

    public static Result apply(LossBalancer method, double[][] jacobian, double[] losses, double[][] history, boolean nativeScale) {
        int t = jacobian.length;
        for (double[] row : jacobian) {
            if (row.length != jacobian[0].length) {
                throw new IllegalArgumentException("jacobian rows must all have the same length");
            }
        }
        double[][] h = new double[t][t];
        double[] norms = new double[t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                h[i][j] = Mat.dot(jacobian[i], jacobian[j]);
            }
            norms[i] = Math.sqrt(h[i][i]);
        }
        if (history != null && history.length > 0) {
            if (method instanceof Dwa dwa && history.length >= 2) {
                dwa.history(history[history.length - 2], history[history.length - 1]);
            }
            if (method instanceof GradNorm gn) {
                gn.initialLosses(history[0]);
            }
        }
        Balance b = method.balance(new BalanceInput(0, 0, losses, h, norms));
        double[] w = b.weights();
        if (nativeScale) {
            w = Mat.scale(w, 1 / kappa(method.name(), t));
        }
        double[] d = new double[jacobian[0].length];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < d.length; k++) {
                d[k] += w[i] * jacobian[i][k];
            }
        }
        return new Result(w, d, b.extras());
    }
}
