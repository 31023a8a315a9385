package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.TaskStreams;
import dev.mtlj.sample.TaskSampler;
import java.util.Arrays;
import java.util.List;

/**
 * Sampled training (the task scheduler): each step draws {@code tasksPerStep} tasks with the sampler (draw j of step s
 * is the sampler's draw number s·k + j) and concatenates those tasks' batches from their own streams over their
 * labelled rows; the other tasks are absent from the step. Counts draws since the last record and in total.
 */
final class SampledBatches implements BatchSource {
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

    SampledBatches(TaskSampler sampler, int tasksPerStep, int[] batchSizes, List<String> tasks, long seed) {
        if (tasksPerStep < 1 || batchSizes.length != tasks.size()) {
            throw new IllegalArgumentException(
                    "tasksPerStep " + tasksPerStep + ", " + batchSizes.length + " batch sizes");
        }
        this.sampler = sampler;
        this.tasksPerStep = tasksPerStep;
        this.batchSizes = batchSizes.clone();
        this.tasks = List.copyOf(tasks);
        this.seed = seed;
        this.window = new long[tasks.size()];
        this.total = new long[tasks.size()];
    }

    @Override
    public int[] next(long step, DeviceData train) {
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

    @Override
    public int epoch() {
        return 0;
    }

    @Override
    public boolean needsLosses() {
        return sampler.needsLosses();
    }

    @Override
    public void observeLosses(long step, double[] losses) {
        for (int k : lastDrawn) {
            sampler.observeLoss(step, k, losses[k]);
        }
    }

    /** Per task, a validation score where higher is better: accuracy, else R², else −loss. */
    @Override
    public void observeScores(Report val) {
        sampler.observeScores(val.tasks().values().stream()
                .mapToDouble(t -> t.metrics().containsKey("accuracy")
                        ? t.metrics().get("accuracy")
                        : t.metrics().containsKey("r2") ? t.metrics().get("r2") : -t.loss())
                .toArray());
    }

    @Override
    public Report.Sampling drainWindow(long step) {
        Report.Sampling s = new Report.Sampling(sampler.probabilities(step), window.clone());
        Arrays.fill(window, 0);
        return s;
    }

    @Override
    public long[] drawTotals() {
        return total.clone();
    }

    @Override
    public double[] probabilities(long step) {
        return sampler.probabilities(step);
    }

    @Override
    public Position position() {
        int[] e = streams == null ? savedEpochs : streams.epochs();
        int[] o = streams == null ? savedOffsets : streams.offsets();
        return new Position(
                0,
                0,
                new double[][] {toDoubles(e), toDoubles(o), toDoubles(window), toDoubles(total)},
                sampler.state());
    }

    @Override
    public void restore(Position p) {
        double[][] s = p.sampling();
        if (s == null) {
            throw new UserInputException("the checkpoint was made with joint training, this run uses sampled training");
        }
        if (s[0] != null) {
            savedEpochs = toInts(s[0]);
            savedOffsets = toInts(s[1]);
        }
        for (int k = 0; k < window.length; k++) {
            window[k] = (long) s[2][k];
            total[k] = (long) s[3][k];
        }
        streams = null; // rebuilt at the restored positions
        sampler.restore(p.samplerState());
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
