package dev.mtlj.train;

import dev.mtlj.UserInputException;

/**
 * A checkpoint could not be written (no space left, no permission, an I/O error). Reported like bad input — one line,
 * CLI exit 2 — because the remedy is on the user's side; the message names the file and the cause, and says that the
 * previous checkpoint is unchanged.
 */
public final class CheckpointWriteException extends UserInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which checkpoint could not be written
     * @param cause   the I/O error
     */
    public CheckpointWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
