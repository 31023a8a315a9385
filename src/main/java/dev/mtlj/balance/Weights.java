package dev.mtlj.balance;

import java.util.Map;

/**
 * A {@link LossWeighting}'s answer for one step, on the canonical scale: the network descends Σ_i w_i L_i.
 *
 * @param values w, task order
 * @param extras method diagnostics for the logs (plain numbers or arrays)
 */
public record Weights(double[] values, Map<String, Object> extras) {
    /** Copies the collections and arrays, so the record never changes under its holder. */
    public Weights {
        values = values.clone();
        extras = Map.copyOf(extras);
    }

    /** Weights without diagnostics. */
    public static Weights of(double[] values) {
        return new Weights(values, Map.of());
    }

    /** As a {@link Balance}: heads are weighted like the shared parameters. */
    public Balance asBalance() {
        return new Balance(values, values, extras);
    }
}
