package dev.mtlj.balance;

import java.util.Map;

/**
 * Applies any balancer to a given Jacobian, outside training: what a method does to your gradients, and a way to
 * check mtlj against other implementations (docs/methods.md#standalone-use).
 *
 * <p>Rows of {@code jacobian} are the task gradients g_i in task order. Stateful methods run one step from their
 * documented initial state; {@code history} (oldest first) primes methods that keep a loss history (DWA's epoch
 * means, GradNorm's L(0)); a loss weighting that reads last-shared-layer norms takes n_i = ‖g_i‖ (the rows are read as
 * gradients w.r.t. the layer it balances on). The output is on the canonical scale unless {@code nativeScale}.
 */
public final class Standalone {
    /**
     * The outcome of one standalone step.
     *
     * @param weights   effective weights w (d = Jᵀw)
     * @param direction d = Σ_i w_i g_i
     * @param extras    the method's diagnostics
     */
    public record Result(double[] weights, double[] direction, Map<String, Object> extras) {}

    private Standalone() {}

    /**
     * Least-squares effective weights w = H⁺(Jd) of a direction that need not be an exact combination of the rows
     * (docs/methods.md#effective-weights): {@code jd} holds ⟨g_i, d⟩.
     */
    public static double[] leastSquaresWeights(double[][] gramian, double[] jd) {
        return Mat.pinvSolve(gramian, jd, 1e-12);
    }

    /**
     * One step of {@code method} on {@code jacobian}.
     *
     * @param losses  task losses (required by methods that read them)
     * @param history loss history for methods that keep one, else null
     * @param seed    seeds libtorch's generator before a row aggregator runs (GradDrop draws from it)
     */
    public static Result apply(
            Balancer method, double[][] jacobian, double[] losses, double[][] history, boolean nativeScale, long seed) {
        if (method.readsLosses() && losses == null) {
            throw new dev.mtlj.UserInputException("method '" + method.name() + "' needs \"losses\" (one per task)");
        }
        int t = jacobian.length;
        for (double[] row : jacobian) {
            if (row.length != jacobian[0].length) {
                throw new IllegalArgumentException("jacobian rows must all have the same length");
            }
        }
        return method.accept(new Balancer.Visitor<>() {
            @Override
            public Result lossWeighting(LossWeighting m) {
                if (history != null && history.length > 0) {
                    m.startFrom(history);
                }
                double[][] h = gramian(jacobian);
                double[] norms = new double[t];
                for (int i = 0; i < t; i++) {
                    norms[i] = Math.sqrt(h[i][i]);
                }
                Weights w = m.weigh(new LossInput(0, 0, losses, norms, null));
                return combine(m, jacobian, w.values(), w.extras(), nativeScale);
            }

            @Override
            public Result gramianWeighting(GramianWeighting m) {
                refuseHistory(m, history);
                Balance b = m.weigh(new GramianInput(0, 0, gramian(jacobian), losses));
                return combine(m, jacobian, b.weights(), b.extras(), nativeScale);
            }

            @Override
            public Result rowAggregator(RowAggregator m) {
                refuseHistory(m, history);
                return RowStandalone.apply(m, jacobian, losses, nativeScale, seed);
            }
        });
    }

    /** H = JJᵀ, summed in row order. */
    static double[][] gramian(double[][] jacobian) {
        int t = jacobian.length;
        double[][] h = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                h[i][j] = Mat.dot(jacobian[i], jacobian[j]);
            }
        }
        return h;
    }

    private static void refuseHistory(Balancer m, double[][] history) {
        if (history != null && history.length > 0) {
            throw new dev.mtlj.UserInputException(
                    "method '" + m.name() + "' keeps no loss history; leave \"history\" out");
        }
    }

    private static Result combine(
            Balancer m, double[][] jacobian, double[] weights, Map<String, Object> extras, boolean nativeScale) {
        int t = jacobian.length;
        double[] w = nativeScale ? Mat.scale(weights, 1 / m.nativeScale().kappa(t)) : weights;
        double[] d = new double[jacobian[0].length];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < d.length; k++) {
                d[k] += w[i] * jacobian[i][k];
            }
        }
        return new Result(w, d, extras);
    }
}
