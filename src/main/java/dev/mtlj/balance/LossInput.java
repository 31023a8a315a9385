package dev.mtlj.balance;

/**
 * What the trainer measured for one step of a {@link LossWeighting}. Signals the method did not ask for are
 * {@code null}.
 *
 * @param step            0-based training step
 * @param epoch           0-based epoch of the step's batch
 * @param losses          task losses L_i, task order ({@link LossWeighting.Signal#LOSSES})
 * @param lastSharedNorms ‖∂L_i/∂W‖ on the last shared layer ({@link LossWeighting.Signal#LAST_SHARED_NORMS})
 * @param present         per task, whether the batch held a label of it ({@code null}: all did); only methods that
 *                        {@linkplain LossWeighting#acceptsAbsentTasks() accept absent tasks} see a false entry
 */
public record LossInput(long step, int epoch, double[] losses, double[] lastSharedNorms, boolean[] present) {
    /** An input carrying losses only, every task present. */
    public static LossInput ofLosses(long step, int epoch, double[] losses) {
        return new LossInput(step, epoch, losses, null, null);
    }
}
