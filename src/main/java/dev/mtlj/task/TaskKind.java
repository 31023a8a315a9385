package dev.mtlj.task;

import dev.mtlj.UserInputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a task predicts; decides which losses and metrics make sense for it. */
public enum TaskKind {
    /** One of K classes; head outputs K logits; labels are class indices 0..K-1. */
    CLASSIFICATION(EnumSet.of(LossKind.CROSS_ENTROPY), EnumSet.of(MetricKind.ACCURACY, MetricKind.MACRO_F1)),
    /** Yes/no; head outputs one logit; labels are 0 or 1. */
    BINARY(EnumSet.of(LossKind.BCE_WITH_LOGITS), EnumSet.of(MetricKind.ACCURACY, MetricKind.MACRO_F1, MetricKind.AUC)),
    /** Real-valued vector of D outputs. */
    REGRESSION(
            EnumSet.of(LossKind.MSE, LossKind.L1, LossKind.HUBER),
            EnumSet.of(MetricKind.MAE, MetricKind.RMSE, MetricKind.R2));

    @SuppressWarnings("ImmutableEnumChecker") // unmodifiable copies, below
    private final Set<LossKind> losses;

    @SuppressWarnings("ImmutableEnumChecker")
    private final Set<MetricKind> metrics;

    TaskKind(Set<LossKind> losses, Set<MetricKind> metrics) {
        this.losses = java.util.Collections.unmodifiableSet(losses);
        this.metrics = java.util.Collections.unmodifiableSet(metrics);
    }

    /** Losses allowed for this kind. */
    public Set<LossKind> losses() {
        return EnumSet.copyOf(losses);
    }

    /** Metrics allowed for this kind. */
    public Set<MetricKind> metrics() {
        return EnumSet.copyOf(metrics);
    }

    /** The loss used when a config names none. */
    public LossKind defaultLoss() {
        return switch (this) {
            case CLASSIFICATION -> LossKind.CROSS_ENTROPY;
            case BINARY -> LossKind.BCE_WITH_LOGITS;
            case REGRESSION -> LossKind.MSE;
        };
    }

    /** Parses the config spelling ({@code classification|binary|regression}). */
    public static TaskKind parse(String text) {
        for (TaskKind k : values()) {
            if (k.configName().equals(text)) {
                return k;
            }
        }
        throw new UserInputException(
                "task kind '" + text + "' is not valid; allowed: classification, binary, regression");
    }

    /** The name in configs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
