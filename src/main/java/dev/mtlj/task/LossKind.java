package dev.mtlj.task;

import dev.mtlj.UserInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Task losses, each reduced to the mean over the batch (and over outputs for regression). */
public enum LossKind {
    CROSS_ENTROPY,
    BCE_WITH_LOGITS,
    MSE,
    L1,
    HUBER;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

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
