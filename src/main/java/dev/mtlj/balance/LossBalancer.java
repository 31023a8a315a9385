package dev.mtlj.balance;

import java.util.Map;
import java.util.Set;

/**
 * Decides, each training step, how task losses (or their gradients) combine into one update.
 *
 * <p>Call order: the trainer reads {@link #needs()} once, then per step computes those quantities and calls
 * {@link #balance} (and {@link #afterStep} after the optimizer step when {@link Need#POST_STEP_LOSSES} is
 * declared); {@link #state()} / {@link #restore} bracket checkpoints.
 *
 * <p>Weights are on mtlj's canonical scale (equal weighting = all ones; methods.md §8): each method's javadoc
 * gives its native scale and the factor κ. Loss-weighting methods set head weights h = w; gradient
 * aggregators (those needing a Gramian) set h = 1, as torchjd and LibMTL do. Implementations are pure Java
 * (no libtorch), so they can be tested on plain arrays and used on their own.
 */
public interface LossBalancer {
    /** Registry name, as written in configs (e.g. {@code ew}). */
    String name();

    /** The quantities this balancer needs each step. */
    Set<Need> needs();

    /** Weights for one step. May update internal state (learned weights, histories). */
    Balance balance(BalanceInput input);

    /** With {@link Need#POST_STEP_LOSSES}: the step's batch losses after the optimizer step. */
    default void afterStep(double[] postStepLosses) {}

    /**
     * Whether the method is defined for steps where some tasks have no labelled example (partial labels): the
     * trainer then drops those tasks' terms and tells the method through {@link BalanceInput#present()}. Methods
     * whose weights come from all tasks' losses or gradients at once say no, and the trainer refuses such steps.
     */
    default boolean acceptsAbsentTasks() {
        return false;
    }

    /** Everything needed to resume exactly (empty for stateless balancers). */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restore(Map<String, double[]> state) {}
}
