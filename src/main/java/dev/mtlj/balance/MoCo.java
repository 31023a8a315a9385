package dev.mtlj.balance;

import dev.mtlj.engine.Tensors;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * MoCo: H. Fernando, H. Shen, M. Liu, S. Chaudhury, K. Murugesan, T. Chen, "Mitigating Gradient Bias in
 * Multi-objective Learning: A Provably Convergent Approach", ICLR 2023 (LibMTL's port).
 *
 * <p>ĝ_i = L_i g_i/(‖g_i‖ + 1e-8); tracked gradients y_i ← y_i − β_t(y_i − ĝ_i); λ ← softmax(λ − γ_t(YYᵀ + ρI)λ);
 * d = Yᵀλ with β_t = β/√t, γ_t = γ/√t (β = 0.5, γ = 0.1, ρ = 0, λ₀ = 1/T, y₀ = 0, t from 1). Native λ ∈ simplex;
 * canonical d = T·Yᵀλ (κ = T). Heads h = 1. State: Y [T, P] on the device, λ, t. Logged weights are least-squares
 * effective weights (Y mixes earlier steps).
 */
final class MoCo extends StatefulRowAggregator {
    private final double beta;
    private final double gamma;
    private final double rho;
    private double[] lambda;
    private long t;

    MoCo(double beta, double gamma, double rho) {
        this.beta = beta;
        this.gamma = gamma;
        this.rho = rho;
    }

    @Override
    public String name() {
        return "moco";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public boolean readsLosses() {
        return true;
    }

    @Override
    public Result combine(Tensor rows, RowInput in) {
        int n = (int) rows.size(0);
        if (lambda == null) {
            lambda = new double[n];
            java.util.Arrays.fill(lambda, 1.0 / n);
        }
        t++;
        double bt = beta / Math.sqrt((double) t);
        double gt = gamma / Math.sqrt((double) t);
        double[] norms = Tensors.toDoubles(
                rows.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), new long[] {1}, false));
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = in.losses()[i] / (norms[i] + 1e-8);
        }
        Tensor target = rows.mul(Rows.column(scale, rows));
        Tensor y = state.get("y") == null
                ? target.mul(new Scalar(bt))
                : state.get("y").sub(state.get("y").sub(target).mul(new Scalar(bt)));
        state.put("y", y);
        double[] yy = Tensors.toDoubles(y.matmul(y.t()));
        double[] z = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double s = rho * lambda[i];
            for (int j = 0; j < n; j++) {
                s += yy[i * n + j] * lambda[j];
            }
            z[i] = lambda[i] - gt * s;
            max = Math.max(max, z[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < n; i++) {
            lambda[i] = z[i] / sum;
        }
        Tensor d = y.t().matmul(Rows.vector(lambda, y)).mul(new Scalar(n));
        return new Result(d, Rows.ones(n), Map.of("lambda", lambda.clone()));
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("t", new double[] {t});
        if (lambda != null) {
            m.put("lambda", lambda.clone());
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        t = s.containsKey("t") ? (long) s.get("t")[0] : 0;
        lambda = s.containsKey("lambda") ? s.get("lambda").clone() : null;
    }
}
