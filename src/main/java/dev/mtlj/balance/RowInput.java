package dev.mtlj.balance;

/**
 * What the trainer measured for one step of a {@link RowAggregator} (besides the rows).
 *
 * @param step   0-based training step
 * @param epoch  0-based epoch of the step's batch
 * @param losses task losses, or {@code null} unless {@link RowAggregator#readsLosses()}
 */
public record RowInput(long step, int epoch, double[] losses) {}
