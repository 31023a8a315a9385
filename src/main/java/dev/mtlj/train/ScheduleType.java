package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/** Learning-rate schedules after warm-up ({@link ScheduleSpec}): constant, step decay, cosine annealing. */
public enum ScheduleType {
    /** A constant rate. */
    CONSTANT("constant"),
    /** The rate times gamma every step_size steps. */
    STEP("step"),
    /** Cosine decay to zero. */
    COSINE("cosine");

    private final String configName;

    ScheduleType(String configName) {
        this.configName = configName;
    }

    /** Parses a config name; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static ScheduleType parse(String value) {
        String s = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ScheduleType t : values()) {
            if (t.configName.equals(s)) {
                return t;
            }
        }
        throw new UserInputException(
                "train.schedule.type '" + value + "' is not valid; allowed: constant, step, cosine");
    }

    @JsonValue
    @Override
    public String toString() {
        return configName;
    }
}
