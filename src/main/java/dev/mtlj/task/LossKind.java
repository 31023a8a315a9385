package dev.mtlj.task;

import dev.mtlj.UserInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Task losses, each reduced to the mean over the batch (and over outputs for regression). */
public enum LossKind {
    /** Cross-entropy over classes. */
    CROSS_ENTROPY,
    /** Binary cross-entropy on logits. */
    BCE_WITH_LOGITS,
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    L1,
    /** Huber loss. */
    HUBER;

    /** The name in configs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The loss named {@code text}; a user error naming the allowed ones otherwise. */
    public static LossKind parse(String text) {
        for (LossKind k : values()) {
            if (k.configName().equals(text)) {
                return k;
            }
        }
        throw new UserInputException("loss '" + text + "' is not valid; allowed: "
                + Arrays.stream(values()).map(LossKind::configName).collect(Collectors.joining(", ")));
    }
}
