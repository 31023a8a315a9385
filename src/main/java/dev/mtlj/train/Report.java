package dev.mtlj.train;

import dev.mtlj.UserInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-task losses, weights and metrics at one step on one split ({@code train}, {@code val} or {@code test}).
 * For {@code train}, losses are means over the steps since the previous record and metrics are those of the
 * logged step's batch; for evaluation splits everything covers the whole split.
 *
 * @param step  0-based step after which the numbers were taken (steps done − 1)
 * @param split split name
 * @param lr    learning rate of that step (NaN for evaluation-only runs)
 * @param tasks task name → numbers, task order
 * @param gates    gated architectures: task name → mean gate distribution over the experts on this split; else empty
 * @param sampling sampled training's training records: the sampler's probabilities and the draws since the previous
 *                 record, task order; else null
 */
public record Report(
        long step,
        String split,
        double lr,
        Map<String, TaskReport> tasks,
        Map<String, double[]> gates,
        Sampling sampling) {
    /** Task-sampling statistics of a training record. */
    public record Sampling(double[] probabilities, long[] drawn) {}

    /** Copies the collections and arrays, so the record never changes under its holder. */
    public Report {
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
        gates = Collections.unmodifiableMap(new LinkedHashMap<>(gates));
    }

    /** A report without sampling statistics. */
    public Report(long step, String split, double lr, Map<String, TaskReport> tasks, Map<String, double[]> gates) {
        this(step, split, lr, tasks, gates, null);
    }

    /** A report without gate statistics. */
    public Report(long step, String split, double lr, Map<String, TaskReport> tasks) {
        this(step, split, lr, tasks, Map.of());
    }

    /** Sum of task losses. */
    public double totalLoss() {
        return tasks.values().stream().mapToDouble(TaskReport::loss).sum();
    }

    /**
     * Looks up {@code loss}, {@code <task>.loss} or {@code <task>.<metric>}; an unknown key is a
     * {@link UserInputException} listing what exists.
     */
    public double value(String key) {
        if (key.equals("loss")) {
            return totalLoss();
        }
        int dot = key.indexOf('.');
        TaskReport t = dot < 0 ? null : tasks.get(key.substring(0, dot));
        if (t != null) {
            String m = key.substring(dot + 1);
            if (m.equals("loss")) {
                return t.loss();
            }
            Double v = t.metrics().get(m);
            if (v != null) {
                return v;
            }
        }
        StringBuilder known = new StringBuilder("loss");
        tasks.forEach((name, tr) -> {
            known.append(", ").append(name).append(".loss");
            tr.metrics()
                    .keySet()
                    .forEach(m -> known.append(", ").append(name).append('.').append(m));
        });
        throw new UserInputException("'" + key + "' is not a reported quantity; known: " + known);
    }
}
