package dev.mtlj.balance;

import java.util.HashMap;
import java.util.Map;

/**
 * A balancer's own learned numbers (UW's log-variances, IMTL-L's scales) with their Adam moments, clamped to
 * [−20, 20] after each step so exponentials stay finite; checkpointed through {@link #state()}.
 */
final class LearnedVector {
    private final double[] values;
    private final ParameterAdam adam;

    LearnedVector(int n, double init, double lr) {
        this.values = Mat.fill(n, init);
        this.adam = new ParameterAdam(n, lr, 0);
    }

    double get(int i) {
        return values[i];
    }

    double[] values() {
        return values.clone();
    }

    void step(double[] gradient) {
        adam.step(values, gradient);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(-20, Math.min(20, values[i]));
        }
    }

    Map<String, double[]> state() {
        Map<String, double[]> m = new HashMap<>();
        m.put("s", values.clone());
        adam.save(m, "adam");
        return m;
    }

    void restore(Map<String, double[]> s) {
        System.arraycopy(s.get("s"), 0, values, 0, values.length);
        adam.restore(s, "adam");
    }
}
