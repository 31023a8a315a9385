package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nash-MTL: A. Navon, A. Shamsian, I. Achituve, H. Maron, K. Kawaguchi, G. Chechik, E. Fetaya, "Multi-Task Learning
 * as a Bargaining Game", ICML 2022.
 *
 * <p>d = Σ α_i g_i with α &gt; 0 solving α_i(Hα)_i = 1 (so ⟨d, g_i⟩ = 1/α_i &gt; 0 and ‖d‖ = √T). Solved exactly by
 * damped Newton ({@link Bargaining}), warm-started from the previous α, to a residual ≤ 1e-8 — not the paper's
 * CCP iteration, whose stopping test can end at a non-solution and which returns 0 when (H1)_i ≤ 0 although a
 * solution exists. When 0 lies in the hull of the nonzero gradients (Pareto-stationary) no solution exists: d = 0,
 * flagged {@code pareto_stationary} with the hull's relative min-norm² as certificate; all-zero gradients give d = 0
 * flagged {@code zero_jacobian}; a task with a zero gradient takes no part (α_i = 0). A solve that does not converge
 * is a {@link SolverException}, never a made-up answer.
 * α is recomputed every {@code update_weights_every} steps (default 1). The shared gradient is clipped to
 * {@code max_norm} (default 1, 0 = off), as LibMTL and the official code do; logged weights are the effective
 * α·min(1, max_norm/‖d‖) (scale-free: native = canonical). Heads h = 1 (torchjd's convention; the references use α).
 */
public final class NashMtl implements GramianWeighting {
    private final double maxNorm;
    private final int every;
    private double[] alpha;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public NashMtl(double maxNorm, int every) {
        this.maxNorm = maxNorm;
        this.every = every;
    }

    @Override
    public String name() {
        return "nash-mtl";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        int t = h.length;
        Map<String, Object> extras = new LinkedHashMap<>();
        if (alpha == null || in.step() % every == 0) {
            Bargaining.Solution s = Bargaining.solve(name(), h, 1.0, alpha, in.rankTolerance());
            if (s.status() != Bargaining.Status.SOLVED) {
                alpha = null; // the next solve starts cold
                return Aggregation.result(new double[t], Bargaining.describe(s));
            }
            extras.put("kkt_residual", s.residual());
            alpha = s.alpha();
        }
        double norm = Math.sqrt(Math.max(Mat.quad(h, alpha), 0));
        double factor = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
        extras.put("alpha", alpha.clone());
        return Aggregation.result(Mat.scale(alpha, factor), extras);
    }

    @Override
    public Map<String, double[]> state() {
        return alpha == null ? Map.of() : Map.of("alpha", alpha.clone());
    }

    @Override
    public void restore(Map<String, double[]> s) {
        alpha = s.containsKey("alpha") ? s.get("alpha").clone() : null;
    }
}
