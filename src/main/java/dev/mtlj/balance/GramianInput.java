package dev.mtlj.balance;

/**
 * What the trainer measured for one step of a {@link GramianWeighting}.
 *
 * @param step    0-based training step
 * @param epoch   0-based epoch of the step's batch
 * @param gramian T×T Gramian H = JJᵀ (float64, symmetric)
 * @param losses  task losses, or {@code null} unless {@link GramianWeighting#readsLosses()}
 */
public record GramianInput(long step, int epoch, double[][] gramian, double[] losses) {
    /** An input without losses. */
    public static GramianInput of(long step, double[][] gramian) {
        return new GramianInput(step, 0, gramian, null);
    }
}
