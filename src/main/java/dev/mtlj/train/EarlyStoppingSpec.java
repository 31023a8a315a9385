package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * Stop when a validation quantity stops improving.
 *
 * @param metric   {@code loss} (sum of task losses), {@code <task>.loss}, or {@code <task>.<metric>}
 * @param mode     {@code min} or {@code max}; default: max for accuracy/macro_f1/auc/r2, else min
 * @param patience evaluations without improvement before stopping (default 5, &ge; 1)
 * @param minDelta improvement smaller than this does not count (default 0)
 */
public record EarlyStoppingSpec(
        @JsonProperty("metric") String metric,
        @JsonProperty("mode") String mode,
        @JsonProperty("patience") Integer patience,
        @JsonProperty("min_delta") Double minDelta) {
    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public EarlyStoppingSpec {
        if (metric == null || metric.isBlank()) {
            throw new UserInputException("train.early_stopping.metric is required (e.g. loss, cls.accuracy)");
        }
        if (mode != null && !mode.equals("min") && !mode.equals("max")) {
            throw new UserInputException("train.early_stopping.mode '" + mode + "' is not valid; allowed: min, max");
        }
        patience = patience == null ? 5 : patience;
        minDelta = minDelta == null ? 0.0 : minDelta;
        if (patience < 1) {
            throw new UserInputException("train.early_stopping.patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new UserInputException("train.early_stopping.min_delta must be >= 0, got " + minDelta);
        }
    }
}
