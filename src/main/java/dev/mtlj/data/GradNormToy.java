package dev.mtlj.data;

import dev.mtlj.UserInputException;
import dev.mtlj.random.Rng;
import dev.mtlj.task.MetricKind;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic regression problem of GradNorm (Z. Chen, V. Badrinarayanan, C.-Y. Lee, A. Rabinovich,
 * "GradNorm: Gradient Normalization for Adaptive Loss Balancing in Deep Multitask Networks", ICML 2018, §4):
 * T tasks {@code y_i = σ_i · tanh((B + ε_i) x)} sharing the basis B, each scaled by its own σ_i.
 *
 * <p>B and ε_i are fixed [outputDim × inputDim] matrices with IID N(0, 10²) and N(0, 3.5²) entries (the
 * re-implementations read the paper's 10 and 3.5 as standard deviations). The paper does not state the input
 * distribution; we draw x ~ U(−1, 1)^inputDim and normalise it to unit length (as one public
 * re-implementation does). Regression tasks are named {@code y1..yT}.
 *
 * <p>Optionally adds a classification task {@code cls} on the same basis: its label is
 * {@code argmax_k (Bx)_k} over the first {@code classes} rows of B (our addition, so the quick start also
 * exercises a classifier that shares what the regressors learn).
 */
public final class GradNormToy {
    /**
     * The toy's dimensions and split sizes.
     *
     * @param sigmas    task scales σ_i (one regression task each), all &gt; 0
     * @param inputDim  x dimension (paper: 250)
     * @param outputDim y_i dimension (paper: 100)
     * @param classes   classes of the extra {@code cls} task, or 0 for none
     * @param train     training examples
     * @param val       validation examples
     * @param test      test examples
     * @param seed      seed of everything drawn
     */
    public record Options(
            double[] sigmas, int inputDim, int outputDim, int classes, int train, int val, int test, long seed) {
        /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
        public Options {
            sigmas = sigmas.clone();
            if (sigmas.length < 1) {
                throw new UserInputException("gradnorm-toy: sigmas needs at least one value");
            }
            for (double s : sigmas) {
                if (!(s > 0) || Double.isInfinite(s)) {
                    throw new UserInputException("gradnorm-toy: every sigma must be > 0 and finite, got " + s);
                }
            }
            if (inputDim < 1 || outputDim < 1) {
                throw new UserInputException("gradnorm-toy: input_dim and output_dim must be >= 1");
            }
            if (classes != 0 && (classes < 2 || classes > outputDim)) {
                throw new UserInputException("gradnorm-toy: classes must be 0 (none) or in [2, output_dim=" + outputDim
                        + "], got " + classes);
            }
            if (train < 1 || val < 1 || test < 1) {
                throw new UserInputException("gradnorm-toy: train, val and test sizes must be >= 1");
            }
            long n = (long) train + val + test;
            long t = sigmas.length;
            HeapBudget.require(
                    "gradnorm-toy",
                    "data.input_dim, data.output_dim, data.train, data.val or data.test",
                    Math.max((long) train * inputDim, (long) train * outputDim),
                    // task matrices and basis (double), features and every task's targets (float)
                    2.0 * (t + 1) * outputDim * inputDim + (double) n * (inputDim + t * outputDim + 1),
                    4);
        }

        /** The paper's dimensions with the given scales and split sizes. */
        public static Options paper(double[] sigmas, int classes, int train, int val, int test, long seed) {
            return new Options(sigmas, 250, 100, classes, train, val, test, seed);
        }
    }

    private GradNormToy() {}

    /** Generates the three splits (deterministic in {@code options.seed()}). */
    public static DataSplits generate(Options o) {
        Rng rng = new Rng(o.seed());
        int in = o.inputDim();
        int out = o.outputDim();
        int t = o.sigmas().length;
        double[][] basis = gaussianMatrix(rng, out, in, 10.0);
        double[][][] taskMatrices = new double[t][][];
        for (int i = 0; i < t; i++) {
            double[][] eps = gaussianMatrix(rng, out, in, 3.5);
            for (int r = 0; r < out; r++) {
                for (int c = 0; c < in; c++) {
                    eps[r][c] += basis[r][c];
                }
            }
            taskMatrices[i] = eps;
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            tasks.add(new TaskSpec(
                    "y" + (i + 1),
                    TaskKind.REGRESSION,
                    out,
                    TaskKind.REGRESSION.defaultLoss(),
                    1.0,
                    List.of(MetricKind.MAE, MetricKind.RMSE, MetricKind.R2)));
        }
        if (o.classes() > 0) {
            tasks.add(TaskSpec.of("cls", TaskKind.CLASSIFICATION, o.classes()));
        }
        int n = o.train() + o.val() + o.test();
        MultiTaskData all = draw(rng, n, o, basis, taskMatrices);
        return new DataSplits(
                tasks,
                all.slice(0, o.train()),
                all.slice(o.train(), o.train() + o.val()),
                all.slice(o.train() + o.val(), n));
    }

    private static MultiTaskData draw(Rng rng, int n, Options o, double[][] basis, double[][][] taskMatrices) {
        int in = o.inputDim();
        int out = o.outputDim();
        int t = taskMatrices.length;
        float[] x = new float[n * in];
        float[][] y = new float[t][n * out];
        float[] cls = new float[n];
        double[] row = new double[in];
        for (int e = 0; e < n; e++) {
            double norm = 0;
            for (int c = 0; c < in; c++) {
                row[c] = 2 * rng.nextDouble() - 1;
                norm += row[c] * row[c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < in; c++) {
                row[c] /= norm;
                x[e * in + c] = (float) row[c];
            }
            for (int i = 0; i < t; i++) {
                for (int r = 0; r < out; r++) {
                    y[i][e * out + r] = (float) (o.sigmas()[i] * Math.tanh(Vectors.dot(taskMatrices[i][r], row)));
                }
            }
            if (o.classes() > 0) {
                int best = 0;
                double bestValue = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < o.classes(); k++) {
                    double v = Vectors.dot(basis[k], row);
                    if (v > bestValue) {
                        bestValue = v;
                        best = k;
                    }
                }
                cls[e] = best;
            }
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        for (int i = 0; i < t; i++) {
            labels.put("y" + (i + 1), new TaskLabels(y[i], out));
        }
        if (o.classes() > 0) {
            labels.put("cls", new TaskLabels(cls, 1));
        }
        return new MultiTaskData(x, new int[] {in}, labels);
    }

    private static double[][] gaussianMatrix(Rng rng, int rows, int cols, double std) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = std * rng.nextGaussian();
            }
        }
        return m;
    }
}
