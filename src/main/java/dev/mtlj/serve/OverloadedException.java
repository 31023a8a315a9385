package dev.mtlj.serve;

/** Work refused because the queue is full or the model is shutting down; the caller may retry later (HTTP 503). */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was full
     */
    public OverloadedException(String message) {
        super(message);
    }
}
