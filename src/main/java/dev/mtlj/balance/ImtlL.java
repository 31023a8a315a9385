package dev.mtlj.balance;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * IMTL-L, impartial loss scaling: L. Liu, Y. Li, Z. Kuang, J.-H. Xue, Y. Chen, W. Yang, Q. Liao, W. Zhang,
 * "Towards Impartial Multi-task Learning", ICLR 2021.
 *
 * <p>Each loss becomes e^{s_i} L_i − s_i, minimised over the network and s (init 0); w_i = e^{s_i}
 * (native = canonical). ∂/∂s_i = e^{s_i} L_i − 1, so the fixed point scales every loss to 1. s has its own Adam
 * (default lr = the network's), no weight decay, clamped to [−20, 20]. State: s and Adam moments.
 */
public final class ImtlL implements LossBalancer {
    private final double[] s;
    private final ParameterAdam adam;

    public ImtlL(int tasks, double lr) {
        this.s = new double[tasks];
        this.adam = new ParameterAdam(tasks, lr, 0);
    }

    @Override
    public String name() {
        return "imtl-l";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.LOSS_VALUES);
    }

    @Override
    public Balance balance(BalanceInput in) {
        Mat.requireFinite(in.losses(), "loss");
        double[] w = new double[s.length];
        double[] g = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            w[i] = Math.exp(s[i]);
            g[i] = w[i] * in.losses()[i] - 1;
        }
        adam.step(s, g);
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.max(-20, Math.min(20, s[i]));
        }
        return Balance.lossWeights(w);
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("s", s.clone());
        adam.save(m, "adam");
        return m;
    }

    @Override
    public void restore(Map<String, double[]> st) {
        System.arraycopy(st.get("s"), 0, s, 0, s.length);
        adam.restore(st, "adam");
    }
}
