package dev.mtlj.balance;

import dev.mtlj.engine.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** {@link Standalone} for row aggregators: the Jacobian goes to a CPU float64 tensor, one step from initial state. */
final class RowStandalone {
    private RowStandalone() {}

    /** Direction d and least-squares effective weights (flagged {@code weights_exact} only when d = Jᵀw exactly). */
    static Standalone.Result apply(
            RowAggregator method, double[][] jacobian, double[] losses, boolean nativeScale, long seed) {
        dev.mtlj.engine.Engine.seed(seed);
        int t = jacobian.length;
        int p = jacobian[0].length;
        double[] flat = new double[t * p];
        for (int i = 0; i < t; i++) {
            System.arraycopy(jacobian[i], 0, flat, i * p, p);
        }
        double[][] h = Standalone.gramian(jacobian);
        try (PointerScope scope = new PointerScope()) {
            Tensor rows = Tensors.host(flat, t, p);
            RowAggregator.Result r = method.combine(rows, new RowInput(0, 0, losses));
            double[] d = Tensors.toDoubles(r.direction());
            double[] jd = Tensors.toDoubles(rows.matmul(r.direction()));
            double[] w = Standalone.leastSquaresWeights(h, jd);
            double k = nativeScale ? method.nativeScale().kappa(t) : 1;
            for (int i = 0; i < t; i++) {
                w[i] /= k;
            }
            for (int i = 0; i < p; i++) {
                d[i] /= k;
            }
            Map<String, Object> extras = new LinkedHashMap<>(r.extras());
            extras.put("weights_exact", method.combinesRows());
            return new Standalone.Result(w, d, extras);
        }
    }
}
