package dev.mtlj.balance;

import java.util.Set;

/**
 * Geometric loss strategy (GLS): S. Chennupati, G. Sistu, S. Yogamani, S. Rawashdeh, "MultiNet++: Multi-Stream
 * Feature Aggregation and Geometric Loss Strategy for Multi-Task Learning", CVPR Workshops 2019.
 *
 * <p>Minimises (Π_i L_i)^{1/T}; its gradient is Σ_i w_i ∇L_i with the effective weights
 * w_i = (Π L)^{1/T}/(T L_i) (native = canonical; LibMTL returns L_i/(T ΠL) instead, not the effective weight).
 * Losses must be positive. Stateless.
 */
public final class Gls implements LossWeighting {
    @Override
    public String name() {
        return "gls";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSSES);
    }

    @Override
    public Weights weigh(LossInput in) {
        double[] l = in.losses();
        int t = l.length;
        double logMean = 0;
        for (int i = 0; i < t; i++) {
            if (!(l[i] > 0) || Double.isInfinite(l[i])) {
                throw new IllegalArgumentException("gls needs positive finite losses; task " + i + " has " + l[i]);
            }
            logMean += Math.log(l[i]) / t;
        }
        double g = Math.exp(logMean);
        double[] w = new double[t];
        for (int i = 0; i < t; i++) {
            w[i] = g / (t * l[i]);
        }
        return Weights.of(w);
    }
}
