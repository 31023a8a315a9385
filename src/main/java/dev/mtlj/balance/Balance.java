package dev.mtlj.balance;

import java.util.Map;

/**
 * A balancer's answer for one step, on mtlj's canonical scale (equal weighting = all ones).
 *
 * @param weights     effective task weights w: the shared parameters receive d = Σ_i w_i g_i
 * @param headWeights h: head i receives h_i·∂L_i/∂φ_i
 * @param extras      method diagnostics for the logs (plain numbers or arrays)
 */
public record Balance(double[] weights, double[] headWeights, Map<String, Object> extras) {
    /** Copies the collections and arrays, so the record never changes under its holder. */
    public Balance {
        weights = weights.clone();
        headWeights = headWeights.clone();
        extras = Map.copyOf(extras);
    }
}
