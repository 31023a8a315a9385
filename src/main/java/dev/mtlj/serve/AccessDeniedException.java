package dev.mtlj.serve;

import dev.mtlj.UserInputException;

/**
 * A request the server understood but will not carry out for this client: model control is off, or the model is pinned
 * (given on the command line). HTTP 403, gRPC {@code PERMISSION_DENIED}. A missing or wrong credential is not this but
 * {@link UnauthenticatedException}.
 */
public final class AccessDeniedException extends UserInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused and how to allow it
     */
    public AccessDeniedException(String message) {
        super(message);
    }
}
