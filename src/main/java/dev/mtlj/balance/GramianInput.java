package dev.mtlj.balance;

/**
 * What the trainer measured for one step of a {@link GramianWeighting}.
 *
 * @param step    0-based training step
 * @param epoch   0-based epoch of the step's batch
 * @param gramian T×T Gramian H = JJᵀ (float64, symmetric)
 * @param losses  task losses, or {@code null} unless {@link GramianWeighting#readsLosses()}
 * @param epsilon machine epsilon of the Jacobian the Gramian was formed from (2⁻²³ for float32 rows, 2⁻⁵² for
 *                float64): eigenvalues of H below T·ε·λ_max carry no information, and rank cuts use that bound
 */
public record GramianInput(long step, int epoch, double[][] gramian, double[] losses, double epsilon) {
    /** Machine epsilon of float32, 2⁻²³. */
    public static final double FLOAT32_EPSILON = Math.ulp(1.0f);
    /** Machine epsilon of float64, 2⁻⁵². */
    public static final double FLOAT64_EPSILON = Math.ulp(1.0);

    /** Checks the values (an {@link IllegalArgumentException} names a bad one). */
    public GramianInput {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
        }
    }

    /** An input whose Jacobian was float64. */
    public GramianInput(long step, int epoch, double[][] gramian, double[] losses) {
        this(step, epoch, gramian, losses, FLOAT64_EPSILON);
    }

    /** An input without losses, from a float64 Jacobian. */
    public static GramianInput of(long step, double[][] gramian) {
        return new GramianInput(step, 0, gramian, null);
    }

    /** The relative eigenvalue cut for a rank decision on this input: T·ε. */
    public double rankTolerance() {
        return gramian.length * epsilon;
    }
}
