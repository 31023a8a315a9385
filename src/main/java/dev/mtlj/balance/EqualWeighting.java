package dev.mtlj.balance;

import java.util.Arrays;
import java.util.Set;

/**
 * Equal weighting (EW): minimise Σ_i L_i, so w_i = 1 (LibMTL's EW code; torchjd's {@code Sum}).
 * Needs nothing beyond one backward pass; stateless.
 */
public final class EqualWeighting implements LossWeighting {
    private final Weights weights;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public EqualWeighting(int tasks) {
        double[] ones = new double[tasks];
        Arrays.fill(ones, 1.0);
        weights = Weights.of(ones);
    }

    /** Constant weights: an absent task simply contributes no term. */
    @Override
    public boolean acceptsAbsentTasks() {
        return true;
    }

    @Override
    public String name() {
        return "ew";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public Weights weigh(LossInput input) {
        return weights;
    }

    @Override
    public String toString() {
        return "EqualWeighting[]";
    }
}
