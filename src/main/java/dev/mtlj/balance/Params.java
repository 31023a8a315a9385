package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
                        + (allowed.isEmpty() ? "(none)" : String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    public double number(String key, double dflt, double min, double max) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
            throw new UserInputException("balancer." + key + " of '" + method + "' must be a number in [" + min + ", " + max
                    + "], got '" + v + "'");
        }
        return n.doubleValue();
    }

    public int integer(String key, int dflt, int min) {
        double d = number(key, dflt, min, Integer.MAX_VALUE);
        if (d != Math.rint(d)) {
            throw new UserInputException("balancer." + key + " of '" + method + "' must be an integer, got " + d);
        }
        return (int) d;
    }

    public String choice(String key, String dflt, List<String> allowed) {
        Object v = values.get(key);
        String s = v == null ? dflt : String.valueOf(v);
        if (!allowed.contains(s)) {
            throw new UserInputException("balancer." + key + " of '" + method + "' must be one of " + allowed + ", got '" + s + "'");
        }
        return s;
    }

    public Object raw(String key) {
        return values.get(key);
    }
}
