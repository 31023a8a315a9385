package dev.mtlj.train;

/**
 * How a {@link Trainer#fit} call ended.
 *
 * @param stepsDone    steps completed in total (including those before a resume)
 * @param stoppedEarly whether early stopping ended training
 * @param interrupted  whether {@link Trainer#stopAfterCurrentStep()} ended training before its last step
 * @param bestStep     step of the best validation value (early stopping), or -1
 * @param lastVal      the last validation report, or {@code null}
 * @param skippedSteps steps skipped because a loss or gradient was not finite ({@code train.on_nonfinite: skip})
 */
public record FitResult(
        long stepsDone, boolean stoppedEarly, boolean interrupted, long bestStep, Report lastVal, long skippedSteps) {}
