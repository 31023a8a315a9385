package dev.mtlj.train;

import dev.mtlj.engine.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Per-task loss sums since the last training log record, accumulated on the device in float64 (no host sync per
 * step), with per-task counts of the steps whose batch held the task. Owns one retained tensor.
 */
final class LossWindow implements AutoCloseable {
    private final Tensor sums;
    private long[] counts;

    LossWindow(int tasks, Device device) {
        try (PointerScope scope = new PointerScope()) {
            sums = torch.zeros(tasks).to(device, torch.ScalarType.Double).retainReference();
        }
        counts = new long[tasks];
    }

    /** Adds one step's stacked losses (caller's scope); {@code labelled[i]} = rows of task i in the batch. */
    void add(Tensor stackedLosses, int[] labelled) {
        sums.add_(stackedLosses.detach().to(torch.ScalarType.Double));
        for (int i = 0; i < counts.length; i++) {
            counts[i] += labelled[i] > 0 ? 1 : 0;
        }
    }

    /**
     * Window means.
     *
     * @param means  per task, the mean loss over the window's steps that held it (NaN for none)
     * @param counts per task, how many steps held it
     */
    record Means(double[] means, long[] counts) {}

    /** The means since the last drain, then resets. One host sync. */
    Means drain() {
        double[] s;
        try (PointerScope scope = new PointerScope()) {
            s = Tensors.toDoubles(sums);
            sums.zero_();
        }
        double[] mean = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            mean[i] = counts[i] == 0 ? Double.NaN : s[i] / counts[i];
        }
        Means m = new Means(mean, counts.clone());
        java.util.Arrays.fill(counts, 0);
        return m;
    }

    double[] sums() {
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toDoubles(sums);
        }
    }

    long[] counts() {
        return counts.clone();
    }

    void restore(double[] savedSums, long[] savedCounts, Device device) {
        try (PointerScope scope = new PointerScope()) {
            sums.copy_(Tensors.vector(savedSums, device, torch.ScalarType.Double));
        }
        counts = savedCounts.clone();
    }

    @Override
    public void close() {
        sums.close();
    }
}
