package dev.mtlj.train;

import java.nio.file.Path;

/**
 * Observes training (DJL's {@code TrainingListener} in mtlj's terms). Call order: {@link #onStart} once, then per
 * step {@link #wantsOutputs} before it and {@link #onStep} after it, with {@link #onReport} whenever a training record
 * or an evaluation is published and {@link #onCheckpoint} after checkpoint writes; {@link #onEnd} once. Every argument
 * is heap data. Methods default to doing nothing.
 *
 * <p>The trainer's own logging, validation, early stopping and checkpointing are listeners too; they run after the
 * listeners given to {@link Trainer#fit}, so a listener's {@link #onStep} sees the step before any report it caused.
 */
public interface TrainingListener {
    /** Training starts (or resumes): {@code trainer.stepsDone()} steps are already done. */
    default void onStart(Trainer trainer) {}

    /** Whether step {@code step} (0-based) should copy its batch's outputs and targets into its {@link StepResult}. */
    default boolean wantsOutputs(long step) {
        return false;
    }

    /** A step finished. */
    default void onStep(StepResult result) {}

    /** A training record (every {@code train.log_every} steps) or an evaluation report. */
    default void onReport(Report report) {}

    /** A checkpoint was written after {@code stepsDone} steps. */
    default void onCheckpoint(long stepsDone, Path path) {}

    /** Training ended. */
    default void onEnd(FitResult result) {}
}
