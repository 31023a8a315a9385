package dev.mtlj.sample;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Factories and the name registry of task samplers (methods.md §5): {@code round-robin}, {@code uniform},
 * {@code proportional}, {@code temperature}, {@code annealed}, {@code fixed}, {@code dynamic}, {@code dynamic-gap}.
 * Every bad value is a {@link UserInputException} naming the parameter (and task), before training starts.
 */
public final class TaskSamplers {
    private static final Map<String, Set<String>> PARAMS = Map.of(
            "round-robin", Set.of("order"),
            "uniform", Set.of(),
            "proportional", Set.of(),
            "temperature", Set.of("temperature"),
            "annealed", Set.of("epochs", "steps_per_epoch"),
            "fixed", Set.of("probabilities"),
            "dynamic", Set.of("tau", "floor", "window", "every"),
            "dynamic-gap", Set.of("reference", "floor", "every"));

    private TaskSamplers() {}

    public static Set<String> names() {
        return new java.util.TreeSet<>(PARAMS.keySet());
    }

    /** p_i ∝ n_i^{1/τ}; τ = ∞ is uniform, τ = 1 proportional. */
    public static TaskSampler temperature(long[] sizes, double tau, long seed) {
        return new FixedSampler("temperature", Distributions.power(sizes, Double.isInfinite(tau) ? 0 : 1 / tau), seed);
    }

    /**
     * @param type   registry name
     * @param params the config entry's other keys
     * @param tasks  task names in order
     * @param sizes  labelled training examples per task
     */
    public static TaskSampler create(String type, Map<String, Object> params, List<String> tasks, long[] sizes, long seed) {
        Set<String> allowed = PARAMS.get(type);
        if (allowed == null) {
            throw new UserInputException("sampler.type '" + type + "' is not known; allowed: " + String.join(", ", names()));
        }
        for (String k : params.keySet()) {
            if (!allowed.contains(k)) {
                throw new UserInputException("sampler." + k + " is not a parameter of '" + type + "'; allowed: "
                        + (allowed.isEmpty() ? "(none)" : String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
        Distributions.checkSizes(tasks, sizes);
        int t = tasks.size();
        return switch (type) {
            case "round-robin" -> new RoundRobinSampler(order(params.get("order"), tasks));
            case "uniform" -> new FixedSampler("uniform", Distributions.power(sizes, 0), seed);
            case "proportional" -> new FixedSampler("proportional", Distributions.power(sizes, 1), seed);
            case "temperature" -> temperature(sizes, temperatureOf(params.get("temperature")), seed);
            case "annealed" -> new AnnealedSampler(sizes, (int) number(params, "epochs", Double.NaN, 1, 1e9, true),
                    (long) number(params, "steps_per_epoch", Double.NaN, 1, 1e15, true), seed);
            case "fixed" -> new FixedSampler("fixed", probabilities(params.get("probabilities"), tasks), seed);
            case "dynamic" -> new DynamicSampler(t, false, number(params, "tau", 1, 1e-6, 1e6, false),
                    number(params, "floor", 0.05, 0, 1, false), (int) number(params, "window", 50, 1, 1e6, true),
                    (long) number(params, "every", 100, 1, 1e12, true), null, seed);
            case "dynamic-gap" -> new DynamicSampler(t, true, 1, number(params, "floor", 0.05, 0, 1, false), 1,
                    (long) number(params, "every", 100, 1, 1e12, true), reference(params.get("reference"), tasks), seed);
            default -> throw new IllegalStateException(type);
        };
    }

    private static double temperatureOf(Object v) {
        if (v == null) {
            throw new UserInputException("sampler.temperature is required for 'temperature' (a number > 0, or inf)");
        }
        if (v instanceof String s && (s.equals("inf") || s.equals(".inf"))) {
            return Double.POSITIVE_INFINITY;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() > 0)) {
            throw new UserInputException("sampler.temperature must be > 0 (or inf for uniform), got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static double number(Map<String, Object> params, String key, double dflt, double min, double max, boolean integer) {
        Object v = params.get(key);
        if (v == null) {
            if (Double.isNaN(dflt)) {
                throw new UserInputException("sampler." + key + " is required");
            }
            return dflt;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)
                || (integer && n.doubleValue() != Math.rint(n.doubleValue()))) {
            throw new UserInputException("sampler." + key + " must be " + (integer ? "an integer" : "a number") + " in ["
                    + min + ", " + max + "], got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static int[] order(Object v, List<String> tasks) {
        if (v == null) {
            return java.util.stream.IntStream.range(0, tasks.size()).toArray();
        }
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new UserInputException("sampler.order must list task names, e.g. " + tasks);
        }
        int[] o = new int[list.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = tasks.indexOf(String.valueOf(list.get(i)));
            if (o[i] < 0) {
                throw new UserInputException("sampler.order names '" + list.get(i) + "', which is not a task; tasks: " + tasks);
            }
        }
        return o;
    }

    private static double[] taskNumbers(String key, Object v, List<String> tasks) {
        if (!(v instanceof Map<?, ?> map)) {
            throw new UserInputException("sampler." + key + " must map every task to a number, e.g. {" + tasks.get(0) + ": 0.5}");
        }
        for (Object k : map.keySet()) {
            if (!tasks.contains(String.valueOf(k))) {
                throw new UserInputException("sampler." + key + " names '" + k + "', which is not a task; tasks: " + tasks);
            }
        }
        double[] out = new double[tasks.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = map.get(tasks.get(i));
            if (!(x instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new UserInputException("sampler." + key + "." + tasks.get(i) + " must be a finite number, got "
                        + (x == null ? "nothing" : "'" + x + "'"));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** Validates p_i ≥ 0 and |Σp − 1| ≤ 1e-6, then renormalises. */
    static double[] probabilities(Object v, List<String> tasks) {
        double[] p = taskNumbers("probabilities", v, tasks);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0) {
                throw new UserInputException("sampler.probabilities." + tasks.get(i) + " is negative (" + p[i] + ")");
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new UserInputException("sampler.probabilities sum to " + sum + "; they must sum to 1 (within 1e-6)");
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[] reference(Object v, List<String> tasks) {
        double[] r = taskNumbers("reference", v, tasks);
        for (int i = 0; i < r.length; i++) {
            if (!(r[i] > 0)) {
                throw new UserInputException("sampler.reference." + tasks.get(i) + " must be > 0 (a higher-is-better score), got " + r[i]);
            }
        }
        return r;
    }
}
