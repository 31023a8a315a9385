package dev.mtlj.train;

import dev.mtlj.UserInputException;

/**
 * Training diverged: a loss (or gradient) became NaN or infinite. Reported like bad input — one line, CLI exit 2 —
 * because the remedy is the user's (a lower learning rate, gradient clipping, {@code train.on_nonfinite: skip}); the
 * message names the task and the step.
 */
public final class DivergenceException extends UserInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which loss or gradient was not finite, at which step
     */
    public DivergenceException(String message) {
        super(message);
    }
}
