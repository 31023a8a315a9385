package dev.mtlj.balance;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * DB-MTL, dual balancing: B. Lin, W. Jiang, F. Ye, Y. Zhang, P. Chen, Y.-C. Chen, S. Liu, J. T. Kwok,
 * "Dual-Balancing for Multi-Task Learning", arXiv:2308.12029, 2023 (reference: LibMTL's {@code DB_MTL}).
 *
 * <p>Rows of the log-losses q_i = g_i/(L_i + ε) feed exponential moving averages b_i ← β_t b_i + (1 − β_t) q_i
 * (no bias correction, β_t = β/t^σ, t from 1); a_i = max_j ‖b_j‖/(‖b_i‖ + ε); d = Σ_i a_i b_i. Heads see the
 * log-loss: h_i = 1/(L_i + ε). β = 0.9, σ = 0, ε = 1e-8. The first step is (1 − β) times smaller than later ones
 * (LibMTL's behaviour, kept for parity). State: b [T, P] on the device, t. Logged weights are least-squares
 * effective weights (d mixes earlier steps' gradients).
 */
final class DbMtl extends StatefulRowAggregator {
    private static final double EPS = 1e-8;
    private final double beta;
    private final double sigma;
    private long t;

    DbMtl(double beta, double sigma) {
        this.beta = beta;
        this.sigma = sigma;
    }

    @Override
    public String name() {
        return "db-mtl";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public boolean readsLosses() {
        return true;
    }

    @Override
    public Result combine(Tensor rows, RowInput in) {
        double[] l = in.losses();
        int n = l.length;
        double[] inv = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(l[i] > 0)) {
                throw new IllegalArgumentException("db-mtl needs positive losses; task " + i + " has " + l[i]);
            }
            inv[i] = 1 / (l[i] + EPS);
        }
        t++;
        double bt = beta / Math.pow((double) t, sigma);
        Tensor q = rows.mul(Rows.column(inv, rows));
        Tensor b = state.get("b") == null
                ? q.mul(new org.bytedeco.pytorch.Scalar(1 - bt))
                : state.get("b")
                        .mul(new org.bytedeco.pytorch.Scalar(bt))
                        .add(q.mul(new org.bytedeco.pytorch.Scalar(1 - bt)));
        state.put("b", b);
        Tensor norms = b.norm(
                new org.bytedeco.pytorch.ScalarOptional(new org.bytedeco.pytorch.Scalar(2.0)), new long[] {1}, false);
        Tensor a = norms.max().div(norms.add(new org.bytedeco.pytorch.Scalar(EPS)));
        Tensor d = b.t().matmul(a);
        return new Result(d, inv, Map.of("a", dev.mtlj.engine.Tensors.toDoubles(a)));
    }

    @Override
    public Map<String, double[]> state() {
        return Map.of("t", new double[] {t});
    }

    @Override
    public void restore(Map<String, double[]> s) {
        t = s.containsKey("t") ? (long) s.get("t")[0] : 0;
    }
}
