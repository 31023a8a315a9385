package dev.mtlj.balance;

/**
 * What a balancer asks the trainer to compute each step. The trainer computes exactly the declared needs and
 * nothing else (so equal weighting costs one backward and no host synchronisation).
 */
public enum Need {
    /** The T loss values on the host (forces one device→host copy per step). */
    LOSS_VALUES,
    /** The T×T Gramian H = J·Jᵀ of task gradients w.r.t. the shared parameters. */
    GRAMIAN_SHARED,
    /** The T×T Gramian of task gradients w.r.t. the shared representation (LibMTL's rep_grad). */
    GRAMIAN_REPRESENTATION,
    /** ‖∂L_i/∂W‖ for W the last shared layer's weight (GradNorm). */
    LAST_SHARED_NORMS,
    /**
     * The T×P Jacobian rows themselves, on the device, for element-wise methods and methods that keep vector state
     * (they implement {@code dev.mtlj.rowwise.RowAggregator}).
     */
    JACOBIAN,
    /** The same batch's losses re-evaluated after the optimizer step, passed to {@link LossBalancer#afterStep} (FAMO). */
    POST_STEP_LOSSES
}
