package dev.mtlj.testing;

import dev.mtlj.data.DataSplits;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.data.TaskLabels;
import dev.mtlj.random.Rng;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small learnable problem for tests: x ~ N(0, I_d); regression {@code reg} = A x (A fixed, 2 outputs);
 * binary {@code bin} = [x·u &gt; 0]; 3-class {@code cls} = argmax of V x.
 */
public final class TinyProblem {
    private TinyProblem() {}

    public static DataSplits generate(int d, int train, int val, int test, long seed) {
        Rng rng = new Rng(seed);
        double[][] a = matrix(rng, 2, d);
        double[][] u = matrix(rng, 1, d);
        double[][] v = matrix(rng, 3, d);
        int n = train + val + test;
        float[] x = new float[n * d];
        float[] reg = new float[n * 2];
        float[] bin = new float[n];
        float[] cls = new float[n];
        for (int e = 0; e < n; e++) {
            double[] row = new double[d];
            for (int c = 0; c < d; c++) {
                row[c] = rng.nextGaussian();
                x[e * d + c] = (float) row[c];
            }
            reg[e * 2] = (float) dot(a[0], row);
            reg[e * 2 + 1] = (float) dot(a[1], row);
            bin[e] = dot(u[0], row) > 0 ? 1f : 0f;
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (dot(v[k], row) > dot(v[best], row)) {
                    best = k;
                }
            }
            cls[e] = best;
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        labels.put("reg", new TaskLabels(reg, 2));
        labels.put("bin", new TaskLabels(bin, 1));
        labels.put("cls", new TaskLabels(cls, 1));
        MultiTaskData all = new MultiTaskData(x, new int[] {d}, labels);
        List<TaskSpec> tasks = List.of(
                TaskSpec.of("reg", TaskKind.REGRESSION, 2),
                TaskSpec.of("bin", TaskKind.BINARY, 1),
                TaskSpec.of("cls", TaskKind.CLASSIFICATION, 3));
        return new DataSplits(tasks, all.slice(0, train), all.slice(train, train + val), all.slice(train + val, n));
    }

    private static double[][] matrix(Rng rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] r : m) {
            for (int c = 0; c < cols; c++) {
                r[c] = rng.nextGaussian() / Math.sqrt(cols);
            }
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
