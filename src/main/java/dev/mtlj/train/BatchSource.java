package dev.mtlj.train;

import dev.mtlj.data.DeviceData;
import java.util.Map;

/**
 * Where a step's examples come from: every task together ({@link JointBatches}) or the drawn tasks' own streams
 * ({@link SampledBatches}). Positions are part of every checkpoint, so a resumed run draws what the uninterrupted one
 * would have.
 */
interface BatchSource {
    /** The training rows of step {@code step}. */
    int[] next(long step, DeviceData train);

    /** The epoch of the last batch (its value reaches the balancer; 0 where epochs are per task). */
    int epoch();

    /** Whether the source reads the step's losses (a dynamic sampler). */
    default boolean needsLosses() {
        return false;
    }

    /** The step's host losses (only when {@link #needsLosses()}). */
    default void observeLosses(long step, double[] losses) {}

    /** A validation report, after each evaluation. */
    default void observeScores(Report val) {}

    /** Task-sampling statistics for a training record (since the previous one), or null. */
    default dev.mtlj.train.Report.Sampling drainWindow(long step) {
        return null;
    }

    /** Sampled training: draws per task since the start of the run; else null. */
    default long[] drawTotals() {
        return null;
    }

    /** Sampled training: the sampler's distribution at {@code step}; else null. */
    default double[] probabilities(long step) {
        return null;
    }

    /** Saved position, as stored in {@link dev.mtlj.checkpoint.TrainerState}. */
    Position position();

    /** Restores a saved position. */
    void restore(Position position);

    /**
     * A source's position.
     *
     * @param streamEpoch  joint training: the stream's epoch
     * @param streamOffset joint training: the offset inside the epoch's permutation
     * @param sampling     sampled training: per-task stream epochs, offsets, window and total draws (else null)
     * @param samplerState sampled training: the sampler's state (else null)
     */
    record Position(int streamEpoch, int streamOffset, double[][] sampling, Map<String, double[]> samplerState) {}
}
