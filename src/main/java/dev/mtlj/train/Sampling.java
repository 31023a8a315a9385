package dev.mtlj.train;

import dev.mtlj.data.DeviceData;
import dev.mtlj.data.TaskStreams;
import dev.mtlj.sample.TaskSampler;
import java.util.Arrays;
import java.util.List;

/**
 * Sampled training's per-run state: the sampler, each task's own stream over its labelled rows, and how often each
 * task was drawn (since the last log record, and in total). A step draws {@code tasksPerStep} tasks (draw j of step s
 * is the sampler's draw number s·k + j) and concatenates their batches; the batch then holds labels of the drawn tasks
 * only, and the other tasks are absent from the step (partial labels).
 */
final class Sampling {
    private final TaskSampler sampler;
    private final int tasksPerStep;
    private final int[] batchSizes;
    private final List<String> tasks;
    private final long seed;
    private final long[] window;
    private final long[] total;
    private int[] savedEpochs;
    private int[] savedOffsets;
    private TaskStreams streams;
    private int[] lastDrawn = new int[0];

    Sampling(TaskSampler sampler, int tasksPerStep, int[] batchSizes, List<String> tasks, long seed) {
        this.sampler = sampler;
        this.tasksPerStep = tasksPerStep;
        this.batchSizes = batchSizes.clone();
        this.tasks = tasks;
        this.seed = seed;
        this.window = new long[tasks.size()];
        this.total = new long[tasks.size()];
    }

    TaskSampler sampler() {
        return sampler;
    }

    /** The training rows of step {@code step}'s batch. */
    int[] next(long step, DeviceData train) {
        if (streams == null) {
            int[][] rows = new int[tasks.size()][];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = train.labelledRows(k);
            }
            streams = new TaskStreams(tasks, rows, batchSizes, seed, savedEpochs, savedOffsets);
        }
        lastDrawn = new int[tasksPerStep];
        int[][] parts = new int[tasksPerStep][];
        int n = 0;
        for (int j = 0; j < tasksPerStep; j++) {
            int k = sampler.next(step * tasksPerStep + j);
            lastDrawn[j] = k;
            window[k]++;
            total[k]++;
            parts[j] = streams.next(k);
            n += parts[j].length;
        }
        int[] out = new int[n];
        for (int j = 0, at = 0; j < tasksPerStep; at += parts[j].length, j++) {
            System.arraycopy(parts[j], 0, out, at, parts[j].length);
        }
        return out;
    }

    /** Tasks drawn by the last step. */
    int[] lastDrawn() {
        return lastDrawn.clone();
    }

    /** The logged view: probabilities at {@code step} and draws since the previous record (then reset). */
    Report.Sampling windowStats(long step) {
        Report.Sampling s = new Report.Sampling(sampler.probabilities(step), window.clone());
        Arrays.fill(window, 0);
        return s;
    }

    /** Draws per task since the start of the run. */
    long[] totals() {
        return total.clone();
    }

    /** Stream positions and draw counts for a checkpoint: {epochs, offsets, window, total} as doubles. */
    double[][] state() {
        int[] e = streams == null ? savedEpochs : streams.epochs();
        int[] o = streams == null ? savedOffsets : streams.offsets();
        return new double[][] {toDoubles(e), toDoubles(o), toDoubles(window), toDoubles(total)};
    }

    void restore(double[][] s) {
        if (s[0] != null) {
            savedEpochs = toInts(s[0]);
            savedOffsets = toInts(s[1]);
        }
        for (int k = 0; k < window.length; k++) {
            window[k] = (long) s[2][k];
            total[k] = (long) s[3][k];
        }
        streams = null; // rebuilt at the restored positions
    }

    private static double[] toDoubles(int[] v) {
        return v == null ? null : Arrays.stream(v).asDoubleStream().toArray();
    }

    private static double[] toDoubles(long[] v) {
        return Arrays.stream(v).asDoubleStream().toArray();
    }

    private static int[] toInts(double[] v) {
        return Arrays.stream(v).mapToInt(d -> (int) d).toArray();
    }
}
