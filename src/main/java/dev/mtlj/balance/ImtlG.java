package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IMTL-G, impartial gradient weighting: L. Liu et al., "Towards Impartial Multi-task Learning", ICLR 2021.
 *
 * <p>Chooses α with Σα = 1 so that d = Σ α_i g_i has the same projection on every unit gradient direction;
 * in Gramian form (also torchjd's) α = H⁺n/(1ᵀH⁺n) with n_i = √H_ii — no inverse of a singular matrix, so
 * colinear rows degrade gracefully (the paper's closed form is undefined there). α = 0 when |1ᵀH⁺n| is tiny.
 * Weights may be negative. Native Σα = 1; canonical T·α (κ = T); heads h = 1. Default: shared parameters; the
 * paper computes it on the shared feature ({@code imtl-g-ub}).
 */
public final class ImtlG implements GramianWeighting {
    private final boolean upperBound;

    public ImtlG(boolean upperBound) {
        this.upperBound = upperBound;
    }

    @Override
    public String name() {
        return upperBound ? "imtl-g-ub" : "imtl-g";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.MEAN;
    }

    @Override
    public Space space() {
        return upperBound ? Space.REPRESENTATION : Space.SHARED_PARAMETERS;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        double[] n = new double[t];
        for (int i = 0; i < t; i++) {
            n[i] = Math.sqrt(Math.max(h[i][i], 0));
        }
        double[] x = Mat.pinvSolve(Aggregation.traceNormalised(h), n, 1e-12);
        double s = Mat.sum(x);
        double size = 0;
        for (double v : x) {
            size += Math.abs(v);
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        if (Mat.trace(h) == 0 || !(Math.abs(s) > 1e-12 * size)) {
            extras.put("degenerate", true);
            return Aggregation.result(new double[t], extras);
        }
        return Aggregation.result(Mat.scale(x, t / s), extras);
    }
}
