package dev.mtlj.serve;

import dev.mtlj.UserInputException;

/**
 * A request that needs the server's bearer token came without it, or with another one. HTTP 401 with
 * {@code WWW-Authenticate: Bearer}, gRPC {@code UNAUTHENTICATED}. The message never echoes what the client sent.
 */
public final class UnauthenticatedException extends UserInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what needs the token
     */
    public UnauthenticatedException(String message) {
        super(message);
    }
}
