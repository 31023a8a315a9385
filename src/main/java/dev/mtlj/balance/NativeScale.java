package dev.mtlj.balance;

/**
 * How a method's native weights (the scale of its paper) relate to mtlj's canonical scale, on which equal weighting
 * gives every task weight 1: canonical = κ·native.
 */
public enum NativeScale {
    /** The paper's weights are already canonical (Σw = T for equal weighting, or unnormalised): κ = 1. */
    CANONICAL,
    /** The paper's weights are mean-like (equal weighting is 1/T each, e.g. a point of the simplex): κ = T. */
    MEAN;

    /** κ for {@code tasks} tasks. */
    public double kappa(int tasks) {
        return this == MEAN ? tasks : 1;
    }
}
