package dev.mtlj.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates one task's predictions over a whole split on the Java heap and computes its metrics
 * (definitions in {@link MetricKind}). Feed it batch by batch with {@link #add}, then read {@link #results()}.
 */
public final class TaskMetrics {
    private final TaskSpec task;
    private final int width;
    // classification / binary
    private final long[][] confusion;
    private final List<float[]> scores = new ArrayList<>();
    private final List<float[]> scoreLabels = new ArrayList<>();
    // regression, per output dimension
    private final double[] sumAbs;
    private final double[] sumSq;
    private final double[] sumY;
    private final double[] sumY2;
    private long rows;

    /**
     * @param task the task whose metrics to accumulate
     */
    public TaskMetrics(TaskSpec task) {
        this.task = task;
        this.width = task.outputs();
        int classes = task.kind() == TaskKind.BINARY ? 2 : task.outputs();
        this.confusion = task.kind() == TaskKind.REGRESSION ? null : new long[classes][classes];
        int d = task.kind() == TaskKind.REGRESSION ? width : 0;
        sumAbs = new double[d];
        sumSq = new double[d];
        sumY = new double[d];
        sumY2 = new double[d];
    }

    /**
     * Adds a batch.
     *
     * @param outputs head outputs, row-major [n, outputs] (logits for classification/binary)
     * @param labels  labels, row-major: [n] class indices / 0-1 values, or [n, outputs] regression targets; rows
     *                with a missing label (NaN, or a negative class index) are skipped
     * @param n       rows in this batch
     */
    public void add(float[] outputs, float[] labels, int n) {
        if (outputs.length < (long) n * width) {
            throw new IllegalArgumentException("outputs hold " + outputs.length + " values, need " + (long) n * width);
        }
        int labelWidth = task.kind() == TaskKind.REGRESSION ? width : 1;
        int kept = 0;
        for (int r = 0; r < n; r++) {
            if (labelled(labels, r, labelWidth)) {
                kept++;
            }
        }
        if (kept < n) { // partial labels: compact the labelled rows
            float[] o = new float[kept * width];
            float[] l = new float[kept * labelWidth];
            int k = 0;
            for (int r = 0; r < n; r++) {
                if (labelled(labels, r, labelWidth)) {
                    System.arraycopy(outputs, r * width, o, k * width, width);
                    System.arraycopy(labels, r * labelWidth, l, k * labelWidth, labelWidth);
                    k++;
                }
            }
            outputs = o;
            labels = l;
            n = kept;
        }
        switch (task.kind()) {
            case CLASSIFICATION -> {
                for (int r = 0; r < n; r++) {
                    int best = 0;
                    for (int c = 1; c < width; c++) {
                        if (outputs[r * width + c] > outputs[r * width + best]) {
                            best = c;
                        }
                    }
                    confusion[(int) labels[r]][best]++;
                }
            }
            case BINARY -> {
                for (int r = 0; r < n; r++) {
                    int predicted = outputs[r] >= 0f ? 1 : 0;
                    confusion[labels[r] >= 0.5f ? 1 : 0][predicted]++;
                }
                scores.add(Arrays.copyOf(outputs, n));
                scoreLabels.add(Arrays.copyOf(labels, n));
            }
            case REGRESSION -> {
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < width; c++) {
                        double y = labels[r * width + c];
                        double e = outputs[r * width + c] - y;
                        sumAbs[c] += Math.abs(e);
                        sumSq[c] += e * e;
                        sumY[c] += y;
                        sumY2[c] += y * y;
                    }
                }
            }
        }
        rows += n;
    }

    private boolean labelled(float[] labels, int r, int labelWidth) {
        for (int c = 0; c < labelWidth; c++) {
            float v = labels[r * labelWidth + c];
            if (Float.isNaN(v) || (task.kind() == TaskKind.CLASSIFICATION && v < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Rows seen so far. */
    public long rows() {
        return rows;
    }

    /** The configured metrics, in configuration order. */
    public Map<String, Double> results() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (MetricKind m : task.metrics()) {
            out.put(m.configName(), value(m));
        }
        return out;
    }

    private double value(MetricKind m) {
        if (rows == 0) {
            return Double.NaN;
        }
        return switch (m) {
            case ACCURACY -> accuracy();
            case MACRO_F1 -> macroF1();
            case AUC -> auc();
            case MAE -> sum(sumAbs) / ((double) rows * width);
            case RMSE -> Math.sqrt(sum(sumSq) / ((double) rows * width));
            case R2 -> r2();
        };
    }

    private double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        return correct / (double) rows;
    }

    private double macroF1() {
        double total = 0;
        int present = 0;
        for (int c = 0; c < confusion.length; c++) {
            long tp = confusion[c][c];
            long fp = 0;
            long fn = 0;
            for (int o = 0; o < confusion.length; o++) {
                if (o != c) {
                    fp += confusion[o][c];
                    fn += confusion[c][o];
                }
            }
            if (tp + fp + fn == 0) {
                continue; // class absent from labels and predictions
            }
            total += 2.0 * tp / (2.0 * tp + fp + fn);
            present++;
        }
        return present == 0 ? Double.NaN : total / present;
    }

    private double auc() {
        int n = (int) rows;
        float[] s = new float[n];
        boolean[] pos = new boolean[n];
        int k = 0;
        for (int b = 0; b < scores.size(); b++) {
            float[] sc = scores.get(b);
            float[] lb = scoreLabels.get(b);
            for (int i = 0; i < sc.length; i++, k++) {
                s[k] = sc[i];
                pos[k] = lb[i] >= 0.5f;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(s[a], s[b]));
        double rankSumPos = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1.0; // 1-based ranks, ties share their mean
            for (int t = i; t <= j; t++) {
                if (pos[order[t]]) {
                    rankSumPos += meanRank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    private double r2() {
        double total = 0;
        for (int c = 0; c < width; c++) {
            double ssTot = sumY2[c] - sumY[c] * sumY[c] / rows;
            if (ssTot <= 1e-12 * Math.max(1.0, sumY2[c])) {
                total += sumSq[c] == 0 ? 1.0 : 0.0;
            } else {
                total += 1.0 - sumSq[c] / ssTot;
            }
        }
        return total / width;
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }
}
