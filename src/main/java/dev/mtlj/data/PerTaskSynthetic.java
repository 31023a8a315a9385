package dev.mtlj.data;

import dev.mtlj.random.Rng;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks with training sets of their own sizes over one input space, for sampled training: x ~ N(0, I_d); task k
 * labels x by its own random rule — regression y = a_k·x + ε (ε ~ N(0, 0.1²)), binary [u_k·x &gt; 0], c-class
 * argmax of V_k x. The training split concatenates the tasks' sets, each row labelled for its own task only (the
 * others missing, NaN), so task k has exactly n_k labelled rows; validation and test rows carry every task's label.
 */
public final class PerTaskSynthetic {
    /** One task: name, kind, classes (classification only) and training-set size. */
    public record Task(String name, TaskKind kind, int classes, int train) {}

    private PerTaskSynthetic() {}

    /** Synthetic data with a training set per task and shared validation and test sets. */
    public static DataSplits generate(int d, List<Task> tasks, int val, int test, long seed) {
        Rng rules = Rng.derived(seed, 1);
        List<double[][]> weights = new ArrayList<>();
        for (Task t : tasks) {
            int rows = t.kind() == TaskKind.CLASSIFICATION ? t.classes() : 1;
            double[][] w = new double[rows][d];
            for (double[] r : w) {
                for (int c = 0; c < d; c++) {
                    r[c] = rules.nextGaussian() / Math.sqrt(d);
                }
            }
            weights.add(w);
        }
        Rng rng = Rng.derived(seed, 2);
        int trainRows = tasks.stream().mapToInt(Task::train).sum();
        List<TaskSpec> specs = new ArrayList<>();
        for (Task t : tasks) {
            specs.add(TaskSpec.of(t.name(), t.kind(), t.kind() == TaskKind.CLASSIFICATION ? t.classes() : 1));
        }
        int[] owner = new int[trainRows];
        for (int k = 0, r = 0; k < tasks.size(); k++) {
            for (int i = 0; i < tasks.get(k).train(); i++) {
                owner[r++] = k;
            }
        }
        MultiTaskData train = rows(d, tasks, weights, owner, rng);
        int[] all = new int[val];
        Arrays.fill(all, -1);
        MultiTaskData v = rows(d, tasks, weights, all, rng);
        all = new int[test];
        Arrays.fill(all, -1);
        return new DataSplits(specs, train, v, rows(d, tasks, weights, all, rng));
    }

    /** One row per entry of {@code owner}: the task labelled on it, or −1 for all tasks. */
    private static MultiTaskData rows(int d, List<Task> tasks, List<double[][]> weights, int[] owner, Rng rng) {
        int n = owner.length;
        float[] x = new float[n * d];
        List<float[]> labels = new ArrayList<>();
        tasks.forEach(t -> {
            float[] l = new float[n];
            Arrays.fill(l, Float.NaN);
            labels.add(l);
        });
        for (int e = 0; e < n; e++) {
            double[] row = new double[d];
            for (int c = 0; c < d; c++) {
                row[c] = rng.nextGaussian();
                x[e * d + c] = (float) row[c];
            }
            double noise = 0.1 * rng.nextGaussian();
            for (int k = 0; k < tasks.size(); k++) {
                if (owner[e] == -1 || owner[e] == k) {
                    labels.get(k)[e] = label(tasks.get(k).kind(), weights.get(k), row, noise);
                }
            }
        }
        Map<String, TaskLabels> map = new LinkedHashMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            map.put(tasks.get(k).name(), new TaskLabels(labels.get(k), 1));
        }
        return new MultiTaskData(x, new int[] {d}, map);
    }

    private static float label(TaskKind kind, double[][] w, double[] x, double noise) {
        return switch (kind) {
            case REGRESSION -> (float) (Vectors.dot(w[0], x) + noise);
            case BINARY -> Vectors.dot(w[0], x) > 0 ? 1f : 0f;
            case CLASSIFICATION -> {
                int best = 0;
                for (int c = 1; c < w.length; c++) {
                    if (Vectors.dot(w[c], x) > Vectors.dot(w[best], x)) {
                        best = c;
                    }
                }
                yield best;
            }
        };
    }
}
