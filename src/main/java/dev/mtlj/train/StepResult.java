package dev.mtlj.train;

import dev.mtlj.balance.Balance;
import java.util.List;

/**
 * Heap-only summary of one training step; nothing native leaves the step.
 *
 * @param step    0-based step index
 * @param lr      learning rate used
 * @param balance the balancer's answer (weights, head weights, diagnostics)
 * @param losses  task losses on the host, or {@code null} when the step did not read them (no sync)
 * @param outputs per task {outputs, targets} of the step's batch as flat float arrays, when a listener asked for them
 *                ({@link TrainingListener#wantsOutputs}); else {@code null}
 * @param skipped whether the step was skipped because a loss or gradient was not finite ({@code train.on_nonfinite:
 *                skip}); {@code balance} is then null when the losses were already non-finite
 */
public record StepResult(
        long step, double lr, Balance balance, double[] losses, List<float[][]> outputs, boolean skipped) {}
