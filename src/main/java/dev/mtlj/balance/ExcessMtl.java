package dev.mtlj.balance;

import dev.mtlj.engine.Tensors;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * ExcessMTL: Y. He, S. Zhou, G. Zhang, H. Yun, Y. Xu, B. Zeng, T. Chilimbi, H. Zhao, "Robust Multi-Task Learning
 * with Excess Risks", ICML 2024 (LibMTL's port).
 *
 * <p>Per-element accumulators a_i ← a_i + g_i ⊙ g_i; excess e_i = Σ_p g_ip²/√(a_ip + 1e-7); the first step stores
 * e⁰ (weights stay 1); later q_i ← q_i·exp(η e_i/e⁰_i), renormalised to Σq = T (η = 0.01); the network descends
 * Σ q_i L_i, so w = h = q (native = canonical). State: a [T, P] on the device, e⁰, q.
 */
final class ExcessMtl extends StatefulRowAggregator {
    private final double eta;
    private double[] initial;
    private double[] q;

    ExcessMtl(double eta) {
        this.eta = eta;
    }

    @Override
    public String name() {
        return "excess-mtl";
    }

    /** d = Σ q_i g_i. */
    @Override
    public boolean combinesRows() {
        return true;
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Result combine(Tensor rows, RowInput in) {
        int n = (int) rows.size(0);
        if (q == null) {
            q = Rows.ones(n);
        }
        Tensor sq = rows.mul(rows);
        Tensor acc = state.get("acc") == null ? sq : state.get("acc").add(sq);
        state.put("acc", acc);
        double[] e = Tensors.toDoubles(sq.div(acc.add(new Scalar(1e-7)).sqrt()).sum(1));
        if (initial == null) {
            initial = e;
        } else {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                q[i] *= Math.exp(eta * e[i] / Math.max(initial[i], 1e-300));
                sum += q[i];
            }
            for (int i = 0; i < n; i++) {
                q[i] *= n / sum;
            }
        }
        return new Result(rows.t().matmul(Rows.vector(q, rows)), q.clone(), Map.of("excess", e));
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        if (q != null) {
            m.put("q", q.clone());
        }
        if (initial != null) {
            m.put("initial", initial.clone());
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        q = s.containsKey("q") ? s.get("q").clone() : null;
        initial = s.containsKey("initial") ? s.get("initial").clone() : null;
    }
}
