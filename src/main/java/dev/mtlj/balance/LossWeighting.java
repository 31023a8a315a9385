package dev.mtlj.balance;

import java.util.Set;

/**
 * A balancer that weights the task losses: the network descends Σ_i w_i L_i (heads included), so a step costs one
 * backward pass plus whatever {@link #signals()} asks for.
 *
 * <p>Call order: the trainer reads {@link #signals()} once; each step it computes those signals and calls
 * {@link #weigh}, then (with {@link Signal#POST_STEP_LOSSES}) {@link #afterStep} after the optimizer step.
 */
public non-sealed interface LossWeighting extends Balancer {
    /** What the trainer measures for this method each step, beyond the step number and epoch. */
    enum Signal {
        /** The T loss values on the host (one device→host copy per step). */
        LOSSES,
        /** ‖∂L_i/∂W‖ for W the last shared layer's weight (one partial backward per task; GradNorm). */
        LAST_SHARED_NORMS,
        /** The same batch's losses after the optimizer step, passed to {@link #afterStep} (one more forward; FAMO). */
        POST_STEP_LOSSES
    }

    /** The signals this method reads; empty for methods that need nothing (no host synchronisation at all). */
    Set<Signal> signals();

    @Override
    default boolean readsLosses() {
        return signals().contains(Signal.LOSSES);
    }

    /** Weights for one step; may update the method's state. */
    Weights weigh(LossInput input);

    /** With {@link Signal#POST_STEP_LOSSES}: the step's batch losses after the optimizer step. */
    default void afterStep(double[] postStepLosses) {}

    /**
     * Whether the method is defined for steps where some tasks have no labelled example (partial labels, sampled
     * training): their terms are then dropped. Only methods whose weights do not depend on the other tasks in the
     * same step say yes.
     */
    default boolean acceptsAbsentTasks() {
        return false;
    }

    /**
     * Standalone use ({@link Standalone}): starts from a given loss history, oldest row first, instead of the empty
     * one. Methods that keep no history refuse it.
     */
    default void startFrom(double[][] history) {
        throw new dev.mtlj.UserInputException("method '" + name() + "' keeps no loss history; leave \"history\" out");
    }

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.lossWeighting(this);
    }
}
