package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.engine.Precision;
import java.util.List;

/**
 * The training loop's settings.
 *
 * @param steps           optimizer steps (default 1000)
 * @param batchSize       training batch (default 64)
 * @param evalBatchSize   evaluation batch (default 512)
 * @param optimizer       network optimizer (default Adam, lr 1e-3)
 * @param schedule        learning-rate schedule (default constant)
 * @param gradClip        max global gradient norm, 0 = off (default 0)
 * @param logEvery        steps between training log records (default 50)
 * @param evalEvery       steps between validation evaluations, 0 = only at the end (default 200)
 * @param checkpointEvery steps between checkpoints, 0 = only at the end (default 500)
 * @param earlyStopping   optional early stopping on a validation quantity
 * @param freeze          parts to freeze: backbone, heads, head:&lt;task&gt; (default none)
 * @param precision       forward-pass precision, fp32 or bf16 autocast (default fp32; see {@link Precision})
 * @param onNonFinite     what a non-finite loss or gradient does: stop (default) or skip the step
 * @param onCheckpointError what a failed checkpoint write does: stop (default) or warn and go on
 */
public record TrainSpec(
        @JsonProperty("steps") Long steps,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("eval_batch_size") Integer evalBatchSize,
        @JsonProperty("optimizer") OptimizerSpec optimizer,
        @JsonProperty("schedule") ScheduleSpec schedule,
        @JsonProperty("grad_clip") Double gradClip,
        @JsonProperty("log_every") Long logEvery,
        @JsonProperty("eval_every") Long evalEvery,
        @JsonProperty("checkpoint_every") Long checkpointEvery,
        @JsonProperty("early_stopping") EarlyStoppingSpec earlyStopping,
        @JsonProperty("freeze") List<String> freeze,
        @JsonProperty("precision") Precision precision,
        @JsonProperty("on_nonfinite") NonFinitePolicy onNonFinite,
        @JsonProperty("on_checkpoint_error") CheckpointFailurePolicy onCheckpointError) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public TrainSpec {
        steps = steps == null ? 1000L : steps;
        batchSize = batchSize == null ? 64 : batchSize;
        evalBatchSize = evalBatchSize == null ? 512 : evalBatchSize;
        optimizer = optimizer == null ? OptimizerSpec.adam(1e-3) : optimizer;
        schedule = schedule == null ? ScheduleSpec.constant() : schedule;
        gradClip = gradClip == null ? 0.0 : gradClip;
        logEvery = logEvery == null ? 50L : logEvery;
        evalEvery = evalEvery == null ? 200L : evalEvery;
        checkpointEvery = checkpointEvery == null ? 500L : checkpointEvery;
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        precision = precision == null ? Precision.FP32 : precision;
        onNonFinite = onNonFinite == null ? NonFinitePolicy.STOP : onNonFinite;
        onCheckpointError = onCheckpointError == null ? CheckpointFailurePolicy.STOP : onCheckpointError;
        positive("train.steps", steps);
        positive("train.batch_size", batchSize);
        positive("train.eval_batch_size", evalBatchSize);
        positive("train.log_every", logEvery);
        if (evalEvery < 0) {
            throw new UserInputException("train.eval_every must be >= 0 (0 = at the end only), got " + evalEvery);
        }
        if (checkpointEvery < 0) {
            throw new UserInputException(
                    "train.checkpoint_every must be >= 0 (0 = at the end only), got " + checkpointEvery);
        }
        if (!(gradClip >= 0) || gradClip.isInfinite()) {
            throw new UserInputException("train.grad_clip must be >= 0 and finite (0 = off), got " + gradClip);
        }
    }

    private static void positive(String key, long v) {
        if (v < 1) {
            throw new UserInputException(key + " must be >= 1, got " + v);
        }
    }

    /** Every setting at its default. */
    public static TrainSpec defaults() {
        return new TrainSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy with the step budget set to {@code value}. */
    public TrainSpec withSteps(long value) {
        return new TrainSpec(
                value,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the training batch size set to {@code value}. */
    public TrainSpec withBatchSize(int value) {
        return new TrainSpec(
                steps,
                value,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the evaluation batch size set to {@code value}. */
    public TrainSpec withEvalBatchSize(int value) {
        return new TrainSpec(
                steps,
                batchSize,
                value,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the network optimizer set to {@code value}. */
    public TrainSpec withOptimizer(OptimizerSpec value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                value,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the learning-rate schedule set to {@code value}. */
    public TrainSpec withSchedule(ScheduleSpec value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                value,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the max global gradient norm (0 = off) set to {@code value}. */
    public TrainSpec withGradClip(double value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                value,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with steps between training log records set to {@code value}. */
    public TrainSpec withLogEvery(long value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                value,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with steps between evaluations (0 = at the end only) set to {@code value}. */
    public TrainSpec withEvalEvery(long value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                value,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with steps between checkpoints (0 = at the end only) set to {@code value}. */
    public TrainSpec withCheckpointEvery(long value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                value,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with early stopping (null = off) set to {@code value}. */
    public TrainSpec withEarlyStopping(EarlyStoppingSpec value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                value,
                freeze,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the parts to freeze set to {@code value}. */
    public TrainSpec withFreeze(List<String> value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                value,
                precision,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the forward precision set to {@code value}. */
    public TrainSpec withPrecision(Precision value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                value,
                onNonFinite,
                onCheckpointError);
    }

    /** A copy with the non-finite policy set to {@code value}. */
    public TrainSpec withOnNonFinite(NonFinitePolicy value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                value,
                onCheckpointError);
    }

    /** A copy with the checkpoint-failure policy set to {@code value}. */
    public TrainSpec withOnCheckpointError(CheckpointFailurePolicy value) {
        return new TrainSpec(
                steps,
                batchSize,
                evalBatchSize,
                optimizer,
                schedule,
                gradClip,
                logEvery,
                evalEvery,
                checkpointEvery,
                earlyStopping,
                freeze,
                precision,
                onNonFinite,
                value);
    }
}
