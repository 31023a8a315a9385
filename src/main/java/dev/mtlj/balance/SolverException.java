package dev.mtlj.balance;

/**
 * A balancer's numerical solve failed to reach its stated accuracy (e.g. Nash-MTL's bargaining system after its Newton
 * budget). The message names the method, the residual reached and the work done; no weights are made up instead.
 */
public final class SolverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which solver failed, and how
     */
    public SolverException(String message) {
        super(message);
    }
}
