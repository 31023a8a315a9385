package dev.mtlj.task;

import dev.mtlj.UserInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Evaluation metrics, always computed over a whole split (never averaged per batch).
 *
 * <ul>
 *   <li>{@code accuracy}: fraction of exact class matches (binary: logit &ge; 0 means class 1).</li>
 *   <li>{@code macro_f1}: unweighted mean of per-class F1 = 2TP/(2TP+FP+FN) over the classes present in the
 *       labels or the predictions (scikit-learn's {@code f1_score(average="macro")} with default labels).</li>
 *   <li>{@code auc}: ROC AUC of the binary score, by the rank (Mann–Whitney) formula with tied scores sharing
 *       their mean rank; undefined (NaN) when the split holds only one class.</li>
 *   <li>{@code mae}, {@code rmse}: over every output element.</li>
 *   <li>{@code r2}: 1 − SS_res/SS_tot per output dimension, averaged over dimensions (scikit-learn's
 *       {@code uniform_average}); a constant-label dimension counts as 1 if predicted exactly, else 0.</li>
 * </ul>
 */
public enum MetricKind {
    /** Accuracy. */
    ACCURACY(true),
    /** Macro-averaged F1. */
    MACRO_F1(true),
    /** Area under the ROC curve. */
    AUC(true),
    /** Mean absolute error. */
    MAE(false),
    /** Root mean squared error. */
    RMSE(false),
    /** Coefficient of determination. */
    R2(true);

    private final boolean higherIsBetter;

    MetricKind(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** Whether larger values are better. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The name in configs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric named {@code text}; a user error naming the allowed ones otherwise. */
    public static MetricKind parse(String text) {
        for (MetricKind k : values()) {
            if (k.configName().equals(text)) {
                return k;
            }
        }
        throw new UserInputException("metric '" + text + "' is not valid; allowed: "
                + Arrays.stream(values()).map(MetricKind::configName).collect(Collectors.joining(", ")));
    }
}
