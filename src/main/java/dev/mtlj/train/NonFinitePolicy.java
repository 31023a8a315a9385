package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/**
 * What a step does when a loss or a gradient is not finite ({@code train.on_nonfinite}).
 *
 * <ul>
 *   <li>{@code stop} (default): the run stops with a {@link DivergenceException} naming the task and the step; no
 *       checkpoint is written from a diverged model. Without a method that reads the losses each step, divergence is
 *       seen at the next training record or checkpoint, whichever comes first.
 *   <li>{@code skip}: the optimizer step is skipped (the parameters, optimizer state and balancer are left as they
 *       were, as mixed-precision loss scalers do) and the run goes on; each step pays one device→host read of a
 *       finiteness flag. Skipped steps are counted in the training records and the summary.
 * </ul>
 */
public enum NonFinitePolicy {
    /** Stop the run with a user error. */
    STOP("stop"),
    /** Skip the step and go on. */
    SKIP("skip");

    private final String configName;

    NonFinitePolicy(String configName) {
        this.configName = configName;
    }

    /** Parses a config name; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static NonFinitePolicy parse(String value) {
        for (NonFinitePolicy p : values()) {
            if (p.configName.equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new UserInputException("train.on_nonfinite '" + value + "' is not valid; allowed: stop, skip");
    }

    @JsonValue
    @Override
    public String toString() {
        return configName;
    }
}
