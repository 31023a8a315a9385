package dev.mtlj.balance;

import java.util.Map;

/**
 * A loss-balancing method: how the task losses of one training step, or their gradients, combine into one update.
 *
 * <p>The kind of a method is its type, and the kind fixes what the trainer computes for it each step:
 *
 * <ul>
 *   <li>{@link LossWeighting}: weights applied to the losses (one backward of Σ w_i L_i); input: the losses and, when
 *       declared, last-shared-layer gradient norms (GradNorm) or post-step losses (FAMO).
 *   <li>{@link GramianWeighting}: weights computed from the T×T Gramian H = JJᵀ of the task gradients, applied as the
 *       direction d = Jᵀw on the shared parameters (or representation).
 *   <li>{@link RowAggregator}: a direction computed from the [T, P] Jacobian rows themselves, on the device.
 * </ul>
 *
 * <p>Weights are reported on mtlj's canonical scale, where equal weighting is all ones; {@link #nativeScale()} says
 * how the paper's own scale relates to it (docs/methods.md#scales). State ({@link #state()}) is whatever a resumed
 * run needs to continue exactly; stateless methods return an empty map.
 *
 * <p>Code that must treat the kinds differently dispatches with {@link #accept(Visitor)}: adding a kind adds a
 * visitor method, so every such place fails to compile until it handles the new kind.
 */
public sealed interface Balancer extends AutoCloseable permits LossWeighting, GramianWeighting, RowAggregator {
    /** Registry name, as written in configs (e.g. {@code ew}). */
    String name();

    /** How the method's native weights relate to the canonical scale (canonical = κ·native). */
    NativeScale nativeScale();

    /** Whether the method reads the task losses on the host each step (one device→host copy). */
    boolean readsLosses();

    /** Everything needed to resume exactly (empty for stateless methods). */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restore(Map<String, double[]> state) {}

    /** Frees device state (only row aggregators hold any); idempotent. */
    @Override
    default void close() {}

    /** Calls the visitor's method for this method's kind. */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of balancer. */
    interface Visitor<R> {
        /** A loss weighting. */
        R lossWeighting(LossWeighting method);

        /** A Gramian weighting. */
        R gramianWeighting(GramianWeighting method);

        /** A row aggregator. */
        R rowAggregator(RowAggregator method);
    }
}
