package dev.mtlj.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Observes training. Call order: {@link #onStart} once, then per step {@link #onStep}, with
 * {@link #onReport} after logged steps and evaluations and {@link #onCheckpoint} after saves, and
 * {@link #onEnd} once. Every argument is heap data. Methods default to doing nothing.
 */
public interface TrainingListener {
    default void onStart(long fromStep, long totalSteps, List<String> tasks) {}

    default void onStep(StepResult result) {}

    default void onReport(Report report) {}

    default void onCheckpoint(long stepsDone, Path path) {}

    default void onEnd(FitResult result) {}
}
