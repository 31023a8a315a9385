package dev.mtlj.sample;

import java.util.Map;

/**
 * Decides which task's batch a sampled-training step draws (docs/methods.md#task-samplers).
 *
 * <p>Call order per step s: {@link #probabilities(long)} (for the logs), then {@link #next(long)}; after the step
 * the trainer reports the task's loss with {@link #observeLoss} and, after evaluations, validation scores with
 * {@link #observeScores}. Draws are a function of (seed, step) and the sampler's {@link #state()}, so a resumed run
 * draws exactly what the uninterrupted one would have. Pure Java.
 */
public interface TaskSampler {
    /** Registry name. */
    String name();

    /** The distribution the draw at step {@code step} uses. */
    double[] probabilities(long step);

    /** The task trained at step {@code step}. */
    int next(long step);

    /** Whether {@link #observeLoss} is used (the trainer then reads the step's losses back, a device sync). */
    default boolean needsLosses() {
        return false;
    }

    /** A training loss of task {@code task} at step {@code step} (dynamic samplers use it). */
    default void observeLoss(long step, int task, double loss) {}

    /** Current validation scores per task (higher is better), for performance-gap sampling. */
    default void observeScores(double[] scores) {}

    /** State to checkpoint (adaptive samplers); empty by default. */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /** Restores what {@link #state} returned. */
    default void restore(Map<String, double[]> state) {}
}
