package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Per-task changes to what the data source declares: {@code tasks: {y1: {loss: huber, huber_delta: 0.5}}}.
 *
 * @param loss       loss name
 * @param huberDelta Huber threshold
 * @param metrics    metric names
 * @param batchSize  this task's batch size in sampled training (default train.batch_size)
 */
public record TaskOverride(
        @JsonProperty("loss") String loss,
        @JsonProperty("huber_delta") Double huberDelta,
        @JsonProperty("metrics") List<String> metrics,
        @JsonProperty("batch_size") Integer batchSize) {}
