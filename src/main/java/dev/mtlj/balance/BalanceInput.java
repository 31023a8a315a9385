package dev.mtlj.balance;

/**
 * What the trainer measured for one step. Fields the balancer did not {@linkplain LossBalancer#needs() need}
 * are {@code null}.
 *
 * @param step            0-based training step
 * @param epoch           0-based epoch of the step's batch
 * @param losses          task losses L_i, task order
 * @param gramian         T×T Gramian (shared parameters or representation, as declared)
 * @param lastSharedNorms ‖∂L_i/∂W‖ on the last shared layer
 * @param present         per task, whether the batch held a label of it ({@code null}: all did); only balancers
 *                        that {@linkplain LossBalancer#acceptsAbsentTasks() accept absent tasks} see a false entry
 */
public record BalanceInput(long step, int epoch, double[] losses, double[][] gramian, double[] lastSharedNorms,
                           boolean[] present) {
    /** An input where every task is present. */
    public BalanceInput(long step, int epoch, double[] losses, double[][] gramian, double[] lastSharedNorms) {
        this(step, epoch, losses, gramian, lastSharedNorms, null);
    }

    /** An input carrying losses only. */
    public static BalanceInput ofLosses(long step, int epoch, double[] losses) {
        return new BalanceInput(step, epoch, losses, null, null);
    }
}
