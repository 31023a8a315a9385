package dev.mtlj.dist;

/**
 * A data-parallel run lost a rank: it died, hung, or could not be reached within {@code dist.timeout_s}. The message
 * names the rank and what this rank saw; the CLI prints it as one line and exits with code 3.
 */
public final class RankFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which rank failed and how
     */
    public RankFailedException(String message) {
        super(message);
    }
}
