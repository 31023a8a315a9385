package dev.mtlj.balance;

/**
 * A balancer that computes weights from the T×T Gramian H = JJᵀ of the task gradients (rows of J). The trainer
 * computes the T per-task gradients on the device, forms H in float64, and applies d = Jᵀw to the shared parameters
 * (or, for {@link Space#REPRESENTATION}, backpropagates d through the trunk); head i receives h_i times its own
 * gradient. Implementations are pure Java on {@code double[][]}.
 */
public non-sealed interface GramianWeighting extends Balancer {
    /** What the rows of J are gradients with respect to. */
    enum Space {
        /** The shared parameters (exact for every architecture). */
        SHARED_PARAMETERS,
        /** The shared representation Z (one trunk backward; the "-ub" variants, LibMTL's rep_grad). */
        REPRESENTATION
    }

    /** Where the Gramian is taken (default: the shared parameters). */
    default Space space() {
        return Space.SHARED_PARAMETERS;
    }

    /** Whether {@link GramianInput#losses()} is needed (one device→host copy per step). */
    @Override
    default boolean readsLosses() {
        return false;
    }

    /** Weights w (d = Jᵀw) and head weights h for one step; may update the method's state. */
    Balance weigh(GramianInput input);

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.gramianWeighting(this);
    }
}
