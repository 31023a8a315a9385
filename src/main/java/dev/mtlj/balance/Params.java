package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a balancer's config parameters with defaults, validating each with a message naming it. */
public final class Params {
    private final String method;
    private final Map<String, Object> values;

    Params(String method, Map<String, Object> values, Set<String> allowed) {
        this.method = method;
        this.values = values;
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw new UserInputException("balancer." + k + " is not a parameter of '" + method + "'; allowed: "
                        + (allowed.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    /** The number under {@code key} ({@code dflt} when absent), checked to lie in [{@code min}, {@code max}]. */
    public double number(String key, double dflt, double min, double max) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
            throw new UserInputException("balancer." + key + " of '" + method + "' must be a number in [" + min + ", "
                    + max + "], got '" + v + "'");
        }
        return n.doubleValue();
    }

    /** The integer under {@code key} ({@code dflt} when absent), checked to be at least {@code min}. */
    public int integer(String key, int dflt, int min) {
        double d = number(key, dflt, min, Integer.MAX_VALUE);
        if (d != Math.rint(d)) {
            throw new UserInputException("balancer." + key + " of '" + method + "' must be an integer, got " + d);
        }
        return (int) d;
    }

    /** One of an enum's constants, matched by its {@code toString()} (the name configs use). */
    public <E extends Enum<E>> E choice(String key, E dflt, E[] allowed) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        for (E e : allowed) {
            if (e.toString().equals(String.valueOf(v))) {
                return e;
            }
        }
        throw new UserInputException(
                "balancer." + key + " of '" + method + "' must be one of " + List.of(allowed) + ", got '" + v + "'");
    }

    /** The value under {@code key} as parsed from YAML, or null. */
    public Object raw(String key) {
        return values.get(key);
    }
}
