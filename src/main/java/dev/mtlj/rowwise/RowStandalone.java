package dev.mtlj.rowwise;

import dev.mtlj.balance.BalanceInput;
import dev.mtlj.balance.Standalone;
import dev.mtlj.engine.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** {@link Standalone} for row-wise methods: the Jacobian goes to a CPU float64 tensor, one step from initial state. */
public final class RowStandalone {
    private RowStandalone() {}

    /** Direction d and least-squares effective weights (flagged {@code weights_exact: false} unless exact). */
    public static Standalone.Result apply(RowAggregator method, double[][] jacobian, double[] losses, boolean nativeScale) {
        int t = jacobian.length;
        int p = jacobian[0].length;
        double[] flat = new double[t * p];
        double[][] h = new double[t][t];
        for (int i = 0; i < t; i++) {
            System.arraycopy(jacobian[i], 0, flat, i * p, p);
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int k = 0; k < p; k++) {
                    s += jacobian[i][k] * jacobian[j][k];
                }
                h[i][j] = s;
            }
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor rows = Tensor.create(flat, t, p);
            RowAggregator.Result r = method.combine(rows, new BalanceInput(0, 0, losses, h, null));
            double[] d = Tensors.toDoubles(r.direction());
            double[] jd = Tensors.toDoubles(rows.matmul(r.direction()));
            double[] w = Standalone.leastSquaresWeights(h, jd);
            double k = nativeScale ? Standalone.kappa(method.name(), t) : 1;
            for (int i = 0; i < t; i++) {
                w[i] /= k;
            }
            for (int i = 0; i < p; i++) {
                d[i] /= k;
            }
            Map<String, Object> extras = new LinkedHashMap<>(r.extras());
            extras.put("weights_exact", method instanceof ExcessMtl);
            return new Standalone.Result(w, d, extras);
        }
    }
}
