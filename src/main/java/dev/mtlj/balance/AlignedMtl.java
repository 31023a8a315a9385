package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aligned-MTL: D. Senushkin, N. Patakin, A. Kuznetsov, A. Konushin, "Independent Component Alignment for
 * Multi-Task Learning", CVPR 2023.
 *
 * <p>H = VΛVᵀ; keep eigenpairs with λ &gt; λ_max·T·ε, ε the Jacobian's machine epsilon (the references' numerical
 * rank, which they take with float32's ε whatever the input; here float64 rows keep float64's rank); σ² = the smallest
 * kept λ;
 * B = σ V_r Λ_r^{−1/2} V_rᵀ; α = B·1, d = Jᵀα: the balanced rows BJ are orthogonal with equal norm σ. Rank 0
 * gives B = I (torchjd). Preference p = 1 (LibMTL's scale = canonical; torchjd's default 1/T is ×1/T). Heads h = 1.
 * {@code aligned-mtl-ub} uses the representation Gramian.
 */
public final class AlignedMtl implements GramianWeighting {
    private final boolean upperBound;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public AlignedMtl(boolean upperBound) {
        this.upperBound = upperBound;
    }

    @Override
    public String name() {
        return upperBound ? "aligned-mtl-ub" : "aligned-mtl";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Space space() {
        return upperBound ? Space.REPRESENTATION : Space.SHARED_PARAMETERS;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        Mat.Eigen e = Mat.eigen(h);
        double tol = e.values()[0] * in.rankTolerance();
        double minKept = Double.POSITIVE_INFINITY;
        int rank = 0;
        for (double l : e.values()) {
            if (l > tol && l > 0) {
                rank++;
                minKept = Math.min(minKept, l);
            }
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("rank", rank);
        if (rank == 0) {
            return Aggregation.result(Mat.fill(t, 1.0), extras);
        }
        double sigma = Math.sqrt(minKept);
        double[] alpha = new double[t];
        for (int k = 0; k < rank; k++) {
            double proj = 0;
            for (int i = 0; i < t; i++) {
                proj += e.vectors()[i][k];
            }
            double f = sigma / Math.sqrt(e.values()[k]) * proj;
            for (int i = 0; i < t; i++) {
                alpha[i] += e.vectors()[i][k] * f;
            }
        }
        return Aggregation.result(alpha, extras);
    }
}
