package dev.mtlj.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Examples with every task's labels (the joint-training layout), on the heap.
 *
 * @param features     row-major inputs, {@code size × prod(exampleShape)}
 * @param exampleShape shape of one example, e.g. {@code [250]} or {@code [1, 28, 28]}
 * @param labels       task name → labels, in task order
 */
public record MultiTaskData(float[] features, int[] exampleShape, Map<String, TaskLabels> labels) {
    /** Copies the shape and labels and checks that every label array has one row per example. */
    public MultiTaskData {
        exampleShape = exampleShape.clone();
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        int n = features.length / exampleSize(exampleShape);
        if ((long) n * exampleSize(exampleShape) != features.length) {
            throw new IllegalArgumentException("features length " + features.length
                    + " is not a multiple of the example size " + exampleSize(exampleShape));
        }
        for (Map.Entry<String, TaskLabels> e : labels.entrySet()) {
            if (e.getValue().rows() != n) {
                throw new IllegalArgumentException(
                        "task '" + e.getKey() + "' has " + e.getValue().rows() + " label rows for " + n + " examples");
            }
        }
    }

    /** Number of examples. */
    public int size() {
        return features.length / exampleSize(exampleShape);
    }

    /** Values per example. */
    public int exampleSize() {
        return exampleSize(exampleShape);
    }

    /** Rows [from, to) as a new dataset. */
    public MultiTaskData slice(int from, int to) {
        Map<String, TaskLabels> sliced = new LinkedHashMap<>();
        labels.forEach((k, v) -> sliced.put(k, v.slice(from, to)));
        int e = exampleSize();
        return new MultiTaskData(Arrays.copyOfRange(features, from * e, to * e), exampleShape, sliced);
    }

    static int exampleSize(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }
}
