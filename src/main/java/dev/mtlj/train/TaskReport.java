package dev.mtlj.train;

import java.util.Map;

/**
 * One task's numbers in a {@link Report}.
 *
 * @param loss    mean loss (training: over the log window; evaluation: over the split)
 * @param weight  the balancer's current weight for the task
 * @param metrics metric name → value
 */
public record TaskReport(double loss, double weight, Map<String, Double> metrics) {
    /** Copies the collections and arrays, so the record never changes under its holder. */
    public TaskReport {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
