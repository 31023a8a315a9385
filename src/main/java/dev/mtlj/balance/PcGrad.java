package dev.mtlj.balance;

import dev.mtlj.random.Rng;
import java.util.Map;

/**
 * PCGrad: T. Yu, S. Kumar, A. Gupta, S. Levine, K. Hausman, C. Finn, "Gradient Surgery for Multi-Task Learning",
 * NeurIPS 2020.
 *
 * <p>For each task i, starting from v = g_i, in a random order of the other tasks j: if ⟨v, g_j⟩ &lt; 0 then
 * v ← v − ⟨v, g_j⟩/‖g_j‖² g_j (always against the original g_j); d = Σ_i v_i. Computed exactly on the Gramian
 * (torchjd's form): v = Jᵀc, ⟨v, g_j⟩ = (Hc)_j, a projection is c_j −= (Hc)_j/H_jj. Skips j = i and zero rows
 * (torchjd; LibMTL shuffles all T indices and adds 1e-8). Orders come from (seed, step). Native = canonical
 * (sum of projected rows); heads h = 1.
 */
public final class PcGrad implements GramianWeighting {
    private final long seed;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public PcGrad(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "pcgrad";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        Rng rng = Rng.derived(seed ^ 0x5043L, in.step());
        int t = h.length;
        int[][] orders = new int[t][];
        for (int i = 0; i < t; i++) {
            int[] others = new int[t - 1];
            for (int j = 0, k = 0; j < t; j++) {
                if (j != i) {
                    others[k++] = j;
                }
            }
            rng.shuffle(others);
            orders[i] = others;
        }
        return Aggregation.result(weights(h, orders), Map.of());
    }

    /** PCGrad weights for given projection orders (orders[i] lists the other tasks in the order task i meets them). */
    static double[] weights(double[][] h, int[][] orders) {
        int t = h.length;
        double[] w = new double[t];
        for (int i = 0; i < t; i++) {
            double[] c = new double[t];
            c[i] = 1;
            for (int j : orders[i]) {
                if (h[j][j] <= 0) {
                    continue;
                }
                double inner = Mat.dot(h[j], c);
                if (inner < 0) {
                    c[j] -= inner / h[j][j];
                }
            }
            for (int k = 0; k < t; k++) {
                w[k] += c[k];
            }
        }
        return w;
    }
}
