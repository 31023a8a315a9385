package dev.mtlj.balance;

import dev.mtlj.UserInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Factories and the name registry used by configs, the CLI and {@code mtlj aggregate}. */
public final class LossBalancers {
    private record Entry(Set<String> params, BiFunction<Params, BalancerContext, LossBalancer> make) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        add("ew", Set.of(), (p, c) -> new EqualWeighting(c.size()));
        add("fixed", Set.of("weights"), (p, c) -> new FixedWeighting(taskVector("balancer.weights", p.raw("weights"), c.tasks())));
        add("uw", Set.of("lr", "kappa", "init"), UncertaintyWeighting::create);
        add("dwa", Set.of("tau"), (p, c) -> new Dwa(c.size(), p.number("tau", 2, 1e-6, 1e6)));
        add("rlw", Set.of(), (p, c) -> new Rlw(c.size(), c.seed()));
        add("gls", Set.of(), (p, c) -> new Gls());
        add("imtl-l", Set.of("lr"), (p, c) -> new ImtlL(c.size(), p.number("lr", c.lr(), 0, 10)));
        add("gradnorm", Set.of("alpha", "lr", "optimizer"), (p, c) -> new GradNorm(c.size(), p.number("alpha", 1.5, 0, 10),
                p.number("lr", c.lr(), 0, 10), p.choice("optimizer", "adam", List.of("adam", "sgd")).equals("sgd")));
        add("famo", Set.of("lr", "gamma", "min_loss"), (p, c) -> new Famo(c.size(), p.number("lr", 0.025, 0, 10),
                p.number("gamma", 1e-3, 0, 10), p.number("min_loss", 0, -1e300, 1e300)));
        add("stch", Set.of("warmup_epochs", "mu"), (p, c) -> new Stch(c.size(), p.integer("warmup_epochs", 4, 0),
                p.number("mu", 1.0, 1e-6, 1e6)));
        add("gradvac", Set.of("beta"), (p, c) -> new GradVac(p.number("beta", 0.01, 0, 1), c.seed()));
        add("mgda", Set.of("normalization"), (p, c) -> new Mgda(norm(p), false));
        add("mgda-ub", Set.of("normalization"), (p, c) -> new Mgda(norm(p), true));
        add("pcgrad", Set.of(), (p, c) -> new PcGrad(c.seed()));
        add("cagrad", Set.of("c", "rescale"), (p, c) -> new CaGrad(p.number("c", 0.5, 0, 1e6),
                p.choice("rescale", "none", List.of("none", "1+c^2", "1+c"))));
        add("imtl-g", Set.of(), (p, c) -> new ImtlG(false));
        add("imtl-g-ub", Set.of(), (p, c) -> new ImtlG(true));
        add("nash-mtl", Set.of("max_norm", "update_weights_every"), (p, c) -> new NashMtl(p.number("max_norm", 1.0, 0, 1e300),
                p.integer("update_weights_every", 1, 1)));
        add("fairgrad", Set.of("alpha"), (p, c) -> new FairGrad(p.number("alpha", 1.0, 1e-3, 1e3)));
        add("aligned-mtl", Set.of(), (p, c) -> new AlignedMtl(false));
        add("aligned-mtl-ub", Set.of(), (p, c) -> new AlignedMtl(true));
        add("upgrad", Set.of("reg_eps"), (p, c) -> new UpGrad(false, p.number("reg_eps", 1e-4, 0, 1)));
        add("dualproj", Set.of("reg_eps"), (p, c) -> new UpGrad(true, p.number("reg_eps", 1e-4, 0, 1)));
        add("config", Set.of(), (p, c) -> new ConFig());
        try {
            // the row-wise methods (libtorch on the device) register themselves; no compile-time dependency here
            Class.forName("dev.mtlj.rowwise.RowAggregators", true, LossBalancers.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Adds a method to the registry (used by {@code dev.mtlj.rowwise}). */
    public static void register(String name, Set<String> params, BiFunction<Params, BalancerContext, LossBalancer> make) {
        add(name, params, make);
    }

    private static void add(String name, Set<String> params, BiFunction<Params, BalancerContext, LossBalancer> make) {
        REGISTRY.put(name, new Entry(params, make));
    }

    private static String norm(Params p) {
        return p.choice("normalization", "none", List.of("none", "l2", "loss", "loss+"));
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
        return REGISTRY.keySet();
    }

    /**
     * Builds a balancer from its config entry.
     *
     * @param type   registry name
     * @param params the entry's other keys (e.g. {@code alpha: 1.5} for {@code gradnorm})
     * @param ctx    tasks, learning rate, seed
     */
    public static LossBalancer create(String type, Map<String, Object> params, BalancerContext ctx) {
        Entry e = REGISTRY.get(type);
        if (e == null) {
            throw new UserInputException("balancer.type '" + type + "' is not known; allowed: " + String.join(", ", names()));
        }
        return e.make().apply(new Params(type, params, e.params()), ctx);
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
