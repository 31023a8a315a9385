package dev.mtlj.data;

/**
 * One task's labels for every example of a dataset, on the heap, row-major.
 *
 * @param values class indices (classification), 0/1 (binary) or targets (regression), {@code rows × width}
 * @param width  1 for classification and binary, the output dimension for regression
 */
public record TaskLabels(float[] values, int width) {
    public TaskLabels {
        if (width < 1 || values.length % width != 0) {
            throw new IllegalArgumentException("labels length " + values.length + " is not a multiple of width " + width);
        }
    }

    public int rows() {
        return values.length / width;
    }

    /** Rows [from, to) as a new object. */
    public TaskLabels slice(int from, int to) {
        return new TaskLabels(java.util.Arrays.copyOfRange(values, from * width, to * width), width);
    }
}
