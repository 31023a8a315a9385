package dev.mtlj.balance;

import dev.mtlj.DidYouMean;
import dev.mtlj.UserInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of balancers by config name, and factories for the simplest ones. Adding a method is one class plus one
 * line in {@link #ENTRIES} (and its row in the README and docs/methods.md); tests iterate the registry, so a new entry
 * is covered by the whole suite at once.
 */
public final class Balancers {
    /** Builds a method from its validated config parameters and the run's context. */
    @FunctionalInterface
    public interface Factory {
        /** The method for one config entry. */
        Balancer create(Params params, BalancerContext context);
    }

    /**
     * One registered method.
     *
     * @param name    config name
     * @param params  the parameter keys it accepts
     * @param factory how to build it
     */
    public record Entry(String name, Set<String> params, Factory factory) {}

    private static final List<Entry> ENTRIES = List.of(
            entry("ew", Set.of(), (p, c) -> new EqualWeighting(c.size())),
            entry(
                    "fixed",
                    Set.of("weights"),
                    (p, c) -> new FixedWeighting(taskVector("balancer.weights", p.raw("weights"), c.tasks()))),
            entry(
                    "uw",
                    Set.of("lr", "kappa", "init"),
                    (p, c) -> new UncertaintyWeighting(
                            UncertaintyWeighting.kappa(
                                    p.choice(
                                            "kappa",
                                            UncertaintyWeighting.Kappa.HALF,
                                            UncertaintyWeighting.Kappa.values()),
                                    c),
                            p.number("lr", c.lr(), 0, 10),
                            p.number("init", 0, -20, 20))),
            entry("dwa", Set.of("tau"), (p, c) -> new Dwa(c.size(), p.number("tau", 2, 1e-6, 1e6))),
            entry("rlw", Set.of(), (p, c) -> new Rlw(c.size(), c.seed())),
            entry("gls", Set.of(), (p, c) -> new Gls()),
            entry("imtl-l", Set.of("lr"), (p, c) -> new ImtlL(c.size(), p.number("lr", c.lr(), 0, 10))),
            entry(
                    "gradnorm",
                    Set.of("alpha", "lr", "optimizer"),
                    (p, c) -> new GradNorm(
                            c.size(),
                            p.number("alpha", 1.5, 0, 10),
                            p.number("lr", c.lr(), 0, 10),
                            p.choice("optimizer", GradNorm.Optimizer.ADAM, GradNorm.Optimizer.values()))),
            entry(
                    "famo",
                    Set.of("lr", "gamma", "min_loss"),
                    (p, c) -> new Famo(
                            c.size(),
                            p.number("lr", 0.025, 0, 10),
                            p.number("gamma", 1e-3, 0, 10),
                            p.number("min_loss", 0, -1e300, 1e300))),
            entry(
                    "stch",
                    Set.of("warmup_epochs", "mu"),
                    (p, c) -> new Stch(c.size(), p.integer("warmup_epochs", 4, 0), p.number("mu", 1.0, 1e-6, 1e6))),
            entry("gradvac", Set.of("beta"), (p, c) -> new GradVac(p.number("beta", 0.01, 0, 1), c.seed())),
            entry("mgda", Set.of("normalization"), (p, c) -> new Mgda(normalization(p), false)),
            entry("mgda-ub", Set.of("normalization"), (p, c) -> new Mgda(normalization(p), true)),
            entry("pcgrad", Set.of(), (p, c) -> new PcGrad(c.seed())),
            entry(
                    "cagrad",
                    Set.of("c", "rescale"),
                    (p, c) -> new CaGrad(
                            p.number("c", 0.5, 0, 1e6),
                            p.choice("rescale", CaGrad.Rescale.NONE, CaGrad.Rescale.values()))),
            entry("imtl-g", Set.of(), (p, c) -> new ImtlG(false)),
            entry("imtl-g-ub", Set.of(), (p, c) -> new ImtlG(true)),
            entry(
                    "nash-mtl",
                    Set.of("max_norm", "update_weights_every"),
                    (p, c) ->
                            new NashMtl(p.number("max_norm", 1.0, 0, 1e300), p.integer("update_weights_every", 1, 1))),
            entry("fairgrad", Set.of("alpha"), (p, c) -> new FairGrad(p.number("alpha", 1.0, 1e-3, 1e3))),
            entry("aligned-mtl", Set.of(), (p, c) -> new AlignedMtl(false)),
            entry("aligned-mtl-ub", Set.of(), (p, c) -> new AlignedMtl(true)),
            entry("upgrad", Set.of("reg_eps"), (p, c) -> new UpGrad(false, p.number("reg_eps", 1e-4, 0, 1))),
            entry("dualproj", Set.of("reg_eps"), (p, c) -> new UpGrad(true, p.number("reg_eps", 1e-4, 0, 1))),
            entry("config", Set.of(), (p, c) -> new ConFig()),
            entry("graddrop", Set.of("leak"), (p, c) -> new GradDrop(p.number("leak", 0, 0, 1))),
            entry(
                    "db-mtl",
                    Set.of("beta", "sigma"),
                    (p, c) -> new DbMtl(p.number("beta", 0.9, 0, 1), p.number("sigma", 0, 0, 10))),
            entry(
                    "moco",
                    Set.of("beta", "gamma", "rho"),
                    (p, c) -> new MoCo(
                            p.number("beta", 0.5, 0, 1), p.number("gamma", 0.1, 0, 1e6), p.number("rho", 0, 0, 1e6))),
            entry("excess-mtl", Set.of("eta"), (p, c) -> new ExcessMtl(p.number("eta", 0.01, 0, 1e3))));

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        for (Entry e : ENTRIES) {
            if (BY_NAME.put(e.name(), e) != null) {
                throw new ExceptionInInitializerError("balancer '" + e.name() + "' is registered twice");
            }
        }
    }

    private Balancers() {}

    private static Entry entry(String name, Set<String> params, Factory factory) {
        return new Entry(name, params, factory);
    }

    private static Mgda.Normalization normalization(Params p) {
        return p.choice("normalization", Mgda.Normalization.NONE, Mgda.Normalization.values());
    }

    /** Equal weighting of {@code tasks} tasks. */
    public static Balancer equal(int tasks) {
        return new EqualWeighting(tasks);
    }

    /** Fixed weights, in task order. */
    public static Balancer fixed(double... weights) {
        return new FixedWeighting(weights);
    }

    /** Every registered method, in registry order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** Names accepted by {@link #create}, in registry order. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * Builds a balancer from its config entry.
     *
     * @param type   registry name
     * @param params the entry's other keys (e.g. {@code alpha: 1.5} for {@code gradnorm})
     * @param ctx    tasks, learning rate, seed
     */
    public static Balancer create(String type, Map<String, Object> params, BalancerContext ctx) {
        Entry e = BY_NAME.get(type);
        if (e == null) {
            throw new UserInputException("balancer.type '" + type + "' is not known" + DidYouMean.hint(type, names())
                    + "; allowed: " + String.join(", ", names()));
        }
        return e.factory().create(new Params(type, params, e.params()), ctx);
    }

    /** Reads a {@code {task: number}} map into task order; every task must be present. */
    static double[] taskVector(String key, Object value, List<String> tasks) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new UserInputException(
                    key + " must map every task name to a number, e.g. {" + tasks.get(0) + ": 1.0}");
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
                throw new UserInputException(
                        key + "." + tasks.get(i) + " must be a number, got " + (v == null ? "nothing" : "'" + v + "'"));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
