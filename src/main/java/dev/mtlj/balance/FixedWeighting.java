package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.Arrays;
import java.util.Set;

/**
 * Fixed user weights: minimise Σ_i c_i L_i with w = c exactly as given (no renormalisation).
 * Weights must be finite and non-negative. Stateless.
 */
public final class FixedWeighting implements LossWeighting {
    private final Weights result;
    private final double[] weights;

    /** The method with its config entry's parameters (see the class comment and docs/methods.md). */
    public FixedWeighting(double[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new UserInputException("fixed weight " + i + " must be finite and >= 0, got " + weights[i]);
            }
        }
        this.weights = weights.clone();
        this.result = Weights.of(weights);
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
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public Weights weigh(LossInput input) {
        return result;
    }

    @Override
    public String toString() {
        return "FixedWeighting[weights=" + Arrays.toString(weights) + "]";
    }
}
