package dev.mtlj.data;

import dev.mtlj.random.Rng;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uncertainty-weighting toy of Kendall, Gal and Cipolla (CVPR 2018), as in Y. Gal's public example notebook: x ~
 * N(0, 1); y1 = 2x + 8 + 10ε₁, y2 = 3x + 3 + ε₂ (ε ~ N(0, 1)), so the true noise scales are σ = (10, 1).
 */
public final class UwToy {
    private UwToy() {}

    /** The uncertainty-weighting toy (Kendall et al., CVPR 2018; Gal's notebook). */
    public static DataSplits generate(int train, int val, int test, long seed) {
        Rng rng = new Rng(seed);
        int n = train + val + test;
        float[] x = new float[n];
        float[] y1 = new float[n];
        float[] y2 = new float[n];
        for (int e = 0; e < n; e++) {
            double v = rng.nextGaussian();
            x[e] = (float) v;
            y1[e] = (float) (2 * v + 8 + 10 * rng.nextGaussian());
            y2[e] = (float) (3 * v + 3 + rng.nextGaussian());
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        labels.put("y1", new TaskLabels(y1, 1));
        labels.put("y2", new TaskLabels(y2, 1));
        MultiTaskData all = new MultiTaskData(x, new int[] {1}, labels);
        List<TaskSpec> tasks =
                List.of(TaskSpec.of("y1", TaskKind.REGRESSION, 1), TaskSpec.of("y2", TaskKind.REGRESSION, 1));
        return new DataSplits(tasks, all.slice(0, train), all.slice(train, train + val), all.slice(train + val, n));
    }
}
