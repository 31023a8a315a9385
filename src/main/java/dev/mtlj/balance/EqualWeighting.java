package dev.mtlj.balance;

import java.util.Arrays;
import java.util.Set;

/**
 * Equal weighting (EW): minimise Σ_i L_i, so w_i = 1 (LibMTL's EW code; torchjd's {@code Sum}).
 * Needs nothing beyond one backward pass; stateless.
 */
public final class EqualWeighting implements LossBalancer {
    private final Balance balance;

    public EqualWeighting(int tasks) {
        double[] ones = new double[tasks];
        Arrays.fill(ones, 1.0);
        balance = Balance.lossWeights(ones);
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
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Balance balance(BalanceInput input) {
        return balance;
    }

    @Override
    public String toString() {
        return "EqualWeighting[]";
    }
}
