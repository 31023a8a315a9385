package dev.mtlj;

/**
 * A problem with what the user gave us (a config key, a value, a file, a request), as opposed to a bug.
 *
 * <p>The message names the thing and what is allowed; front ends print it without a stack trace
 * (the CLI exits with code 2).
 */
public class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and what is allowed, one line
     */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what is allowed, one line
     * @param cause   the underlying error
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
