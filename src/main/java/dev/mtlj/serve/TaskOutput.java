package dev.mtlj.serve;

import dev.mtlj.task.TaskKind;
import java.util.Arrays;

/**
 * One task's predictions for a batch, as plain Java values: class probabilities (softmax) and their arg-max for
 * classification, the positive-class probability (sigmoid) and a 0/1 label at 0.5 for binary, the head's values for
 * regression.
 *
 * @param task   task name
 * @param kind   task kind
 * @param rows   examples in the batch
 * @param width  values per example (classes, 1, or regression outputs)
 * @param values {@code rows × width} values, row-major
 * @param labels per example the predicted class (classification, binary), or null for regression
 */
public record TaskOutput(String task, TaskKind kind, int rows, int width, float[] values, int[] labels) {
    /** Checks the values (an {@link IllegalArgumentException} names a bad one). */
    public TaskOutput {
        if (values.length != (long) rows * width || (labels != null && labels.length != rows)) {
            throw new IllegalArgumentException(
                    "task '" + task + "': " + values.length + " values, " + rows + " rows × " + width + " expected");
        }
    }

    /** The values of example {@code i} (a copy). */
    public float[] row(int i) {
        return Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }

    /** The predicted class of example {@code i}; regression has none. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("task '" + task + "' is a regression task: it has values, not labels");
        }
        return labels[i];
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as their own output. */
    public TaskOutput slice(int from, int to) {
        return new TaskOutput(
                task,
                kind,
                to - from,
                width,
                Arrays.copyOfRange(values, from * width, to * width),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }
}
