package dev.mtlj.run;

import dev.mtlj.UserInputException;

/**
 * A file of the run folder ({@code metrics.jsonl}, {@code summary.json}, {@code config.yaml}) could not be written: no
 * space left, no permission, an I/O error. Like a failed checkpoint write it is one line and CLI exit 2, since the
 * remedy is on the user's side; the message names the file, the cause and what is intact.
 */
public final class RunWriteException extends UserInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which file could not be written, and what is intact
     * @param cause   the I/O error
     */
    public RunWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
