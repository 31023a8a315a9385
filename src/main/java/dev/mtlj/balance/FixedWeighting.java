package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.Arrays;
import java.util.Set;

/**
 * Fixed user weights: minimise Σ_i c_i L_i with w = c exactly as given (no renormalisation).
 * Weights must be finite and non-negative. Stateless.
 */
public final class FixedWeighting implements LossBalancer {
    private final Balance balance;
    private final double[] weights;

    public FixedWeighting(double[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new UserInputException("fixed weight " + i + " must be finite and >= 0, got " + weights[i]);
            }
        }
        this.weights = weights.clone();
        this.balance = Balance.lossWeights(weights);
    }

    /** Constant weights: an absent task simply contributes no term. */
    @Override
    public boolean acceptsAbsentTasks() {
        return true;
    }

    @Override
    public String name() {
        return "fixed";
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
        return "FixedWeighting[weights=" + Arrays.toString(weights) + "]";
    }
}
