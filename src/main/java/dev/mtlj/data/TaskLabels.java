package dev.mtlj.data;

/**
 * One task's labels for every example of a dataset, on the heap, row-major. A row holding NaN is a missing label
 * (partial labels): that example counts in no loss or metric of this task.
 *
 * @param values class indices (classification), 0/1 (binary) or targets (regression), {@code rows × width}; NaN = missing
 * @param width  1 for classification and binary, the output dimension for regression
 */
public record TaskLabels(float[] values, int width) {
    /** Checks the values (an {@link IllegalArgumentException} names a bad one). */
    public TaskLabels {
        if (width < 1 || values.length % width != 0) {
            throw new IllegalArgumentException(
                    "labels length " + values.length + " is not a multiple of width " + width);
        }
    }

    /** The number of labelled rows. */
    public int rows() {
        return values.length / width;
    }

    /** Whether row {@code r} carries a label (no NaN in it). */
    public boolean present(int r) {
        for (int c = 0; c < width; c++) {
            if (Float.isNaN(values[r * width + c])) {
                return false;
            }
        }
        return true;
    }

    /** Rows that carry a label. */
    public int labelled() {
        int n = 0;
        for (int r = 0; r < rows(); r++) {
            n += present(r) ? 1 : 0;
        }
        return n;
    }

    /** Rows [from, to) as a new object. */
    public TaskLabels slice(int from, int to) {
        return new TaskLabels(java.util.Arrays.copyOfRange(values, from * width, to * width), width);
    }
}
