package dev.mtlj.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.model.ModelSignature;
import java.util.Map;

/**
 * The non-tensor part of a checkpoint: everything besides model and optimizer that a resumed run needs to
 * continue exactly as the uninterrupted one would have.
 *
 * @param stepsDone      steps completed
 * @param seed           the run seed
 * @param streamEpoch    training batch stream position: epoch
 * @param streamOffset   training batch stream position: offset inside the epoch's permutation
 * @param balancer       balancer name
 * @param balancerState  the balancer's state
 * @param earlyStopping  best value, best step, evaluations without improvement (or null)
 * @param windowLossSums per-task loss sums since the last training log record
 * @param windowCounts   per task, steps in that window whose batch held a label of the task
 * @param metadata       opaque JSON of the owning run (its resolved config), may be null
 * @param sampling       sampled training: per-task stream epochs, offsets, window and total draws (else null)
 * @param samplerState   sampled training: the sampler's state (else null)
 * @param signature      the model's input shape and tasks (null in checkpoints written before it existed)
 * @param skippedSteps   steps skipped for non-finite losses or gradients (0 in checkpoints written before it existed)
 * @param lastWeights    the balancer's last weights, canonical scale (null in checkpoints written before it existed)
 * @param runId          the identity of the run folder that wrote it ({@code run.json}); null for a checkpoint written
 *                       outside a run folder or before identities existed
 */
public record TrainerState(
        @JsonProperty("steps_done") long stepsDone,
        @JsonProperty("seed") long seed,
        @JsonProperty("stream_epoch") int streamEpoch,
        @JsonProperty("stream_offset") int streamOffset,
        @JsonProperty("balancer") String balancer,
        @JsonProperty("balancer_state") Map<String, double[]> balancerState,
        @JsonProperty("early_stopping") double[] earlyStopping,
        @JsonProperty("window_loss_sums") double[] windowLossSums,
        @JsonProperty("window_counts") long[] windowCounts,
        @JsonProperty("metadata") String metadata,
        @JsonProperty("sampling") double[][] sampling,
        @JsonProperty("sampler_state") Map<String, double[]> samplerState,
        @JsonProperty("signature") ModelSignature signature,
        @JsonProperty("skipped_steps") long skippedSteps,
        @JsonProperty("last_weights") double[] lastWeights,
        @JsonProperty("run_id") String runId) {
    /** A joint-training state. */
    public TrainerState(
            long stepsDone,
            long seed,
            int streamEpoch,
            int streamOffset,
            String balancer,
            Map<String, double[]> balancerState,
            double[] earlyStopping,
            double[] windowLossSums,
            long[] windowCounts,
            String metadata) {
        this(
                stepsDone,
                seed,
                streamEpoch,
                streamOffset,
                balancer,
                balancerState,
                earlyStopping,
                windowLossSums,
                windowCounts,
                metadata,
                null,
                null,
                null,
                0,
                null,
                null);
    }
}
