package dev.mtlj.sample;

import dev.mtlj.DidYouMean;
import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Factories and the name registry of task samplers (docs/methods.md#task-samplers): {@code round-robin}, {@code uniform},
 * {@code proportional}, {@code temperature}, {@code annealed}, {@code fixed}, {@code dynamic}, {@code dynamic-gap}.
 * Every bad value is a {@link UserInputException} naming the parameter (and task), before training starts.
 */
public final class TaskSamplers {
    /** Builds a sampler from its validated config entry. */
    @FunctionalInterface
    interface Factory {
        TaskSampler create(Map<String, Object> params, List<String> tasks, long[] sizes, long seed);
    }

    /**
     * One registered sampler.
     *
     * @param name    config name
     * @param params  the parameter keys it accepts
     * @param factory how to build it
     */
    record Entry(String name, Set<String> params, Factory factory) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("round-robin", Set.of("order"), (p, t, n, s) -> new RoundRobinSampler(order(p.get("order"), t))),
            new Entry("uniform", Set.of(), (p, t, n, s) -> new FixedSampler("uniform", Distributions.power(n, 0), s)),
            new Entry(
                    "proportional",
                    Set.of(),
                    (p, t, n, s) -> new FixedSampler("proportional", Distributions.power(n, 1), s)),
            new Entry(
                    "temperature",
                    Set.of("temperature"),
                    (p, t, n, s) -> temperature(n, temperatureOf(p.get("temperature")), s)),
            new Entry(
                    "annealed",
                    Set.of("epochs", "steps_per_epoch"),
                    (p, t, n, s) -> new AnnealedSampler(
                            n,
                            (int) number(p, "epochs", Double.NaN, 1, 1e9, true),
                            (long) number(p, "steps_per_epoch", Double.NaN, 1, 1e15, true),
                            s)),
            new Entry(
                    "fixed",
                    Set.of("probabilities"),
                    (p, t, n, s) -> new FixedSampler("fixed", probabilities(p.get("probabilities"), t), s)),
            new Entry(
                    "dynamic",
                    Set.of("tau", "floor", "window", "every"),
                    (p, t, n, s) -> new DynamicSampler(
                            t.size(),
                            false,
                            number(p, "tau", 1, 1e-6, 1e6, false),
                            number(p, "floor", 0.05, 0, 1, false),
                            (int) number(p, "window", 50, 1, 1e6, true),
                            (long) number(p, "every", 100, 1, 1e12, true),
                            null,
                            s)),
            new Entry(
                    "dynamic-gap",
                    Set.of("reference", "floor", "every"),
                    (p, t, n, s) -> new DynamicSampler(
                            t.size(),
                            true,
                            1,
                            number(p, "floor", 0.05, 0, 1, false),
                            1,
                            (long) number(p, "every", 100, 1, 1e12, true),
                            reference(p.get("reference"), t),
                            s)));

    private TaskSamplers() {}

    /** Names accepted by {@link #create}, sorted. */
    public static Set<String> names() {
        TreeSet<String> names = new TreeSet<>();
        ENTRIES.forEach(e -> names.add(e.name()));
        return names;
    }

    /** p_i ∝ n_i^{1/τ}; τ = ∞ is uniform, τ = 1 proportional. */
    public static TaskSampler temperature(long[] sizes, double tau, long seed) {
        return new FixedSampler("temperature", Distributions.power(sizes, Double.isInfinite(tau) ? 0 : 1 / tau), seed);
    }

    /**
     * Builds a sampler from its config entry.
     *
     * @param type   registry name
     * @param params the config entry's other keys
     * @param tasks  task names in order
     * @param sizes  labelled training examples per task
     */
    public static TaskSampler create(
            String type, Map<String, Object> params, List<String> tasks, long[] sizes, long seed) {
        Entry entry = ENTRIES.stream()
                .filter(e -> e.name().equals(type))
                .findFirst()
                .orElseThrow(() -> new UserInputException("sampler.type '" + type + "' is not known"
                        + DidYouMean.hint(type, names()) + "; allowed: " + String.join(", ", names())));
        for (String k : params.keySet()) {
            if (!entry.params().contains(k)) {
                throw new UserInputException("sampler." + k + " is not a parameter of '" + type + "'; allowed: "
                        + (entry.params().isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(entry.params()))));
            }
        }
        Distributions.checkSizes(tasks, sizes);
        return entry.factory().create(params, tasks, sizes, seed);
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

    private static double number(
            Map<String, Object> params, String key, double dflt, double min, double max, boolean integer) {
        Object v = params.get(key);
        if (v == null) {
            if (Double.isNaN(dflt)) {
                throw new UserInputException("sampler." + key + " is required");
            }
            return dflt;
        }
        if (!(v instanceof Number n)
                || !(n.doubleValue() >= min && n.doubleValue() <= max)
                || (integer && n.doubleValue() != Math.rint(n.doubleValue()))) {
            throw new UserInputException("sampler." + key + " must be " + (integer ? "an integer" : "a number")
                    + " in [" + min + ", " + max + "], got '" + v + "'");
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
                throw new UserInputException(
                        "sampler.order names '" + list.get(i) + "', which is not a task; tasks: " + tasks);
            }
        }
        return o;
    }

    private static double[] taskNumbers(String key, Object v, List<String> tasks) {
        if (!(v instanceof Map<?, ?> map)) {
            throw new UserInputException(
                    "sampler." + key + " must map every task to a number, e.g. {" + tasks.get(0) + ": 0.5}");
        }
        for (Object k : map.keySet()) {
            if (!tasks.contains(String.valueOf(k))) {
                throw new UserInputException(
                        "sampler." + key + " names '" + k + "', which is not a task; tasks: " + tasks);
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
                throw new UserInputException(
                        "sampler.reference." + tasks.get(i) + " must be > 0 (a higher-is-better score), got " + r[i]);
            }
        }
        return r;
    }
}
