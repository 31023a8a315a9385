package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Factories and the name registry used by configs and the CLI. */
public final class LossBalancers {
    /** Registry names and the parameters each accepts. */
    private static final Map<String, Set<String>> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("ew", Set.of());
        PARAMS.put("fixed", Set.of("weights"));
    }

    private LossBalancers() {}

    public static LossBalancer equal(int tasks) {
        return new EqualWeighting(tasks);
    }

    public static LossBalancer fixed(double... weights) {
        return new FixedWeighting(weights);
    }

    /** Names accepted by {@link #create}. */
    public static Set<String> names() {
        return PARAMS.keySet();
    }

    /**
     * Builds a balancer from its config entry.
     *
     * @param type   registry name
     * @param params the entry's other keys (e.g. {@code weights: {task: 2.0}} for {@code fixed})
     * @param tasks  task names in order
     */
    public static LossBalancer create(String type, Map<String, Object> params, List<String> tasks) {
        Set<String> allowed = PARAMS.get(type);
        if (allowed == null) {
            throw new UserInputException("balancer.type '" + type + "' is not known; allowed: " + String.join(", ", names()));
        }
        for (String k : params.keySet()) {
            if (!allowed.contains(k)) {
                throw new UserInputException("balancer." + k + " is not a parameter of '" + type + "'; allowed: "
                        + (allowed.isEmpty() ? "(none)" : String.join(", ", allowed)));
            }
        }
        return switch (type) {
            case "ew" -> equal(tasks.size());
            case "fixed" -> fixed(taskVector("balancer.weights", params.get("weights"), tasks));
            default -> throw new IllegalStateException(type);
        };
    }

    /** Reads a {@code {task: number}} map into task order; every task must be present. */
    static double[] taskVector(String key, Object value, List<String> tasks) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new UserInputException(key + " must map every task name to a number, e.g. {" + tasks.get(0) + ": 1.0}");
        }
        for (Object k : map.keySet()) {
            if (!tasks.contains(String.valueOf(k))) {
                throw new UserInputException(key + " names '" + k + "', which is not a task; tasks: " + tasks);
            }
        }
        double[] out = new double[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            Object v = map.get(tasks.get(i));
            if (!(v instanceof Number n)) {
                throw new UserInputException(key + "." + tasks.get(i) + " must be a number, got "
                        + (v == null ? "nothing" : "'" + v + "'"));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
