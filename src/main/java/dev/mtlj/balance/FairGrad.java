package dev.mtlj.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FairGrad: H. Ban, K. Ji, "Fair Resource Allocation in Multi-Task Learning", ICML 2024.
 *
 * <p>Weights w ≥ 0 with Hw = w^{−1/α} element-wise (α-fair allocation; α = 1 is Nash-MTL's system without its
 * clipping), solved exactly by damped Newton ({@link Bargaining}) instead of LibMTL's bounded least squares; the
 * network backpropagates Σ w_i L_i (heads h = w, as LibMTL). Native = canonical. Degenerate inputs as Nash-MTL's:
 * zero gradients take no part, a Pareto-stationary hull gives w = 0 flagged {@code pareto_stationary} with its
 * certificate, non-convergence is a {@link SolverException}.
 */
public final class FairGrad implements GramianWeighting {
    private final double alpha;
    private double[] last;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public FairGrad(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return "fairgrad";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Balance weigh(GramianInput in) {
        double[][] h = Aggregation.gramian(in);
        Bargaining.Solution s = Bargaining.solve(name(), h, alpha, last, in.rankTolerance());
        if (s.status() != Bargaining.Status.SOLVED) {
            last = null;
            double[] zero = new double[h.length];
            return new Balance(zero, zero, Bargaining.describe(s));
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("kkt_residual", s.residual());
        last = s.alpha();
        return new Balance(s.alpha(), s.alpha(), extras);
    }

    @Override
    public Map<String, double[]> state() {
        return last == null ? Map.of() : Map.of("last", last.clone());
    }

    @Override
    public void restore(Map<String, double[]> s) {
        last = s.containsKey("last") ? s.get("last").clone() : null;
    }
}
