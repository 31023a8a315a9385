package dev.mtlj.data;

import dev.mtlj.UserInputException;
import dev.mtlj.random.Rng;
import dev.mtlj.task.MetricKind;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic two-task regression data of MMoE (J. Ma et al., "Modeling Task Relationships in Multi-task Learning
 * with Multi-gate Mixture-of-Experts", KDD 2018, §4), with the task correlation under control, as re-implemented
 * by Google Research's DSelect-k code (docs/methods.md#benchmark-problems).
 *
 * <p>Orthonormal u1, u2 ∈ R^d; w1 = c·u1, w2 = c·(p·u1 + √(1−p²)·u2), so cos(w1, w2) = p; x ~ N(0, I_d);
 * y_k = w_kᵀx + Σ_{m=1}^{10} sin(α_m w_kᵀx + β_m) + ε_k with α_m = m, β_m = (m−1)², ε ~ N(0, 0.01²), c = 1.
 * The Pearson correlation of the labels is not exactly p (the sine terms); that of the linear parts w_kᵀx is p in
 * expectation. Tasks {@code y1}, {@code y2}.
 */
public final class MmoeSynthetic {
    /** The promised correlation: the cosine of the label weight vectors. */
    public record Weights(double[] w1, double[] w2) {}

    private MmoeSynthetic() {}

    /** The two tasks' weight vectors with correlation {@code p}, drawn from {@code rng}. */
    public static Weights weights(int d, double p, Rng rng) {
        if (!(p >= -1 && p <= 1)) {
            throw new UserInputException("mmoe-synthetic: correlation must be in [-1, 1], got " + p);
        }
        if (d < 2) {
            throw new UserInputException("mmoe-synthetic: input_dim must be >= 2, got " + d);
        }
        double[] u1 = gaussian(rng, d);
        normalise(u1);
        double[] u2 = gaussian(rng, d);
        double proj = Vectors.dot(u1, u2);
        for (int i = 0; i < d; i++) {
            u2[i] -= proj * u1[i];
        }
        normalise(u2);
        double[] w2 = new double[d];
        double q = Math.sqrt(Math.max(0, 1 - p * p));
        for (int i = 0; i < d; i++) {
            w2[i] = p * u1[i] + q * u2[i];
        }
        return new Weights(u1, w2);
    }

    /** The MMoE synthetic data (Ma et al., KDD 2018) with input size {@code d} and task correlation {@code p}. */
    public static DataSplits generate(int d, double p, int train, int val, int test, long seed) {
        if (train < 1 || val < 1 || test < 1) {
            throw new UserInputException("mmoe-synthetic: train, val and test sizes must be >= 1");
        }
        Rng rng = new Rng(seed);
        Weights w = weights(d, p, rng);
        int n = train + val + test;
        float[] x = new float[n * d];
        float[] y1 = new float[n];
        float[] y2 = new float[n];
        double[] row = new double[d];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < d; i++) {
                row[i] = rng.nextGaussian();
                x[e * d + i] = (float) row[i];
            }
            y1[e] = (float) label(Vectors.dot(w.w1(), row), rng);
            y2[e] = (float) label(Vectors.dot(w.w2(), row), rng);
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        labels.put("y1", new TaskLabels(y1, 1));
        labels.put("y2", new TaskLabels(y2, 1));
        MultiTaskData all = new MultiTaskData(x, new int[] {d}, labels);
        List<MetricKind> metrics = List.of(MetricKind.MAE, MetricKind.RMSE, MetricKind.R2);
        List<TaskSpec> tasks = List.of(
                new TaskSpec("y1", TaskKind.REGRESSION, 1, TaskKind.REGRESSION.defaultLoss(), 1.0, metrics),
                new TaskSpec("y2", TaskKind.REGRESSION, 1, TaskKind.REGRESSION.defaultLoss(), 1.0, metrics));
        return new DataSplits(tasks, all.slice(0, train), all.slice(train, train + val), all.slice(train + val, n));
    }

    static double label(double linear, Rng rng) {
        double y = linear;
        for (int m = 1; m <= 10; m++) {
            y += Math.sin(m * linear + (m - 1) * (m - 1));
        }
        return y + 0.01 * rng.nextGaussian();
    }

    private static double[] gaussian(Rng rng, int d) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    private static void normalise(double[] v) {
        double n = Math.sqrt(Vectors.dot(v, v));
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
    }
}
