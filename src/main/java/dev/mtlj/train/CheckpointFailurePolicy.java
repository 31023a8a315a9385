package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/**
 * What a run does when a checkpoint cannot be written (a full disk, a lost permission, an I/O error):
 * {@code train.on_checkpoint_error}. Either way the temporary file is removed and the previous checkpoint stays as it
 * was.
 *
 * <ul>
 *   <li>{@code stop} (default): the run stops with a {@link CheckpointWriteException} naming the file and the cause.
 *   <li>{@code warn}: a warning is logged and training goes on without that checkpoint; the next one is tried as
 *       scheduled.
 * </ul>
 */
public enum CheckpointFailurePolicy {
    /** Stop the run, naming the file. */
    STOP("stop"),
    /** Warn and go on without that checkpoint. */
    WARN("warn");

    private final String configName;

    CheckpointFailurePolicy(String configName) {
        this.configName = configName;
    }

    /** Parses a config name; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static CheckpointFailurePolicy parse(String value) {
        for (CheckpointFailurePolicy p : values()) {
            if (p.configName.equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new UserInputException("train.on_checkpoint_error '" + value + "' is not valid; allowed: stop, warn");
    }

    @JsonValue
    @Override
    public String toString() {
        return configName;
    }
}
