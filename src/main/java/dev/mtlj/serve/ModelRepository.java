package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a server holds: by name, several versions each, one of them the default (the one marked so at load,
 * else the highest version, compared numerically when both are numbers). Models may be loaded, replaced and
 * unloaded while requests run: a request holds the {@link Served} it looked up, and an unloaded model's dispatcher
 * finishes its accepted work before its predictor is closed. Owns every loaded predictor and dispatcher.
 *
 * <p>With a {@link ModelStore} (a repository folder) models are loaded and unloaded by name from it, and the
 * {@link #index()} lists every model the folder holds or the server ever held: READY, or UNAVAILABLE with the reason
 * (unloaded, or the error its load met).
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    private static final String NAME = ModelStore.NAME;

    /**
     * One loaded model version.
     *
     * @param name       model name
     * @param version    version label
     * @param predictor  the model (owned by the repository)
     * @param dispatcher batching or direct execution (owned by the repository)
     * @param batching   the batching settings it was loaded with
     */
    public record Served(
            String name, String version, Predictor predictor, Dispatcher dispatcher, BatchingOptions batching) {}

    /**
     * One line of the repository index (Triton's {@code /v2/repository/index}).
     *
     * @param name    model name
     * @param version version label
     * @param state   READY or UNAVAILABLE
     * @param reason  why it is unavailable ("unloaded", or its load error); empty when ready
     */
    public record IndexEntry(String name, String version, String state, String reason) {}

    private final Map<String, TreeMap<String, Served>> models = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();
    private final Map<String, TreeMap<String, String>> unavailable = new ConcurrentHashMap<>();
    private final ServingMetrics metrics = new ServingMetrics(this::all);
    private final java.util.Set<String> pinned = ConcurrentHashMap.newKeySet();
    private final ModelStore store;

    /** A repository of models loaded from explicit paths. */
    public ModelRepository() {
        this(null);
    }

    /** A repository backed by a repository folder (null: none). */
    public ModelRepository(ModelStore store) {
        this.store = store;
    }

    /** The repository folder, or null. */
    public ModelStore store() {
        return store;
    }

    /**
     * Pins {@code name}: it was given on the command line, and model control may neither unload nor replace it (else it
     * could not come back until a restart).
     */
    public void pin(String name) {
        pinned.add(name);
    }

    /** Refuses model control over a pinned model ({@link AccessDeniedException}). */
    public void checkControllable(String name) {
        if (pinned.contains(name)) {
            throw new AccessDeniedException("model '" + name + "' was given on the server's command line and is pinned;"
                    + " model control may not load or unload it");
        }
    }

    /**
     * Loads every version of {@code name} from the repository folder (replacing what is loaded under that name);
     * a version that fails stays UNAVAILABLE with its error, and the first error is thrown after the others loaded.
     */
    public List<Served> loadFromStore(String name, PredictorOptions options, BatchingOptions batching) {
        if (store == null) {
            throw new UserInputException("this server has no model repository; start it with --model-repository DIR"
                    + " to load models by name");
        }
        List<String> versions = store.versions(name);
        if (versions.isEmpty()) {
            throw new UserInputException("model '" + name + "' has no version folder in the model repository; lay it"
                    + " out as " + name + "/<version>/");
        }
        List<Served> loaded = new ArrayList<>();
        RuntimeException first = null;
        for (String v : versions) {
            try {
                loaded.add(load(name, v, store.modelPath(name, v), options, batching, false));
            } catch (UserInputException e) { // said without the server's own paths
                String why = e.getMessage().replace(store.root() + java.io.File.separator, "");
                markUnavailable(name, v, why);
                first = first == null ? new UserInputException(why, e) : first;
            } catch (RuntimeException e) {
                markUnavailable(name, v, "internal error; see the server log");
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return loaded;
    }

    private void markUnavailable(String name, String version, String reason) {
        unavailable
                .computeIfAbsent(name, k -> new TreeMap<>(ModelRepository::compareVersions))
                .put(version, reason);
    }

    /**
     * Every model the folder holds or the server held, version by version: READY, or UNAVAILABLE with the reason; in
     * name and version order.
     */
    public synchronized List<IndexEntry> index() {
        TreeMap<String, TreeMap<String, IndexEntry>> out = new TreeMap<>();
        java.util.function.BiConsumer<String, IndexEntry> add =
                (n, e) -> out.computeIfAbsent(n, k -> new TreeMap<>(ModelRepository::compareVersions))
                        .put(e.version(), e);
        if (store != null) {
            store.layout()
                    .forEach(
                            (n, vs) -> vs.forEach(v -> add.accept(n, new IndexEntry(n, v, "UNAVAILABLE", "unloaded"))));
        }
        unavailable.forEach((n, vs) -> vs.forEach((v, why) -> add.accept(n, new IndexEntry(n, v, "UNAVAILABLE", why))));
        models.forEach((n, vs) -> vs.keySet().forEach(v -> add.accept(n, new IndexEntry(n, v, "READY", ""))));
        List<IndexEntry> list = new ArrayList<>();
        out.values().forEach(vs -> list.addAll(vs.values()));
        return list;
    }

    /** The serving metrics of every model. */
    public ServingMetrics metrics() {
        return metrics;
    }

    /**
     * Loads {@code path} as {@code name} version {@code version} (replacing one loaded under the same name and
     * version), optionally making it the name's default.
     */
    public Served load(
            String name,
            String version,
            Path path,
            PredictorOptions options,
            BatchingOptions batching,
            boolean makeDefault) {
        check(name, version);
        Predictor p = Predictor.open(path, options);
        Dispatcher.BatchObserver obs = metrics.batches(name, version);
        Dispatcher d = batching.enabled()
                ? new DynamicBatcher(p, batching, obs, name + "-" + version)
                : new DirectDispatcher(p, batching.queueCapacity(), obs);
        return add(name, version, p, d, batching, makeDefault);
    }

    /**
     * Adds an open predictor with a dispatcher of the caller's choosing (e.g. one wrapping the predictor); the
     * repository then owns both. Report batches to {@code metrics().batches(name, version)} to see them in metrics.
     */
    public Served add(
            String name, String version, Predictor p, Dispatcher d, BatchingOptions batching, boolean makeDefault) {
        check(name, version);
        Served s = new Served(name, version, p, d, batching);
        Served old;
        synchronized (this) {
            old = models.computeIfAbsent(name, k -> new TreeMap<>(ModelRepository::compareVersions))
                    .put(version, s);
            java.util.Map<String, String> down = unavailable.get(name);
            if (down != null) {
                down.remove(version);
            }
            if (makeDefault) {
                defaults.put(name, version);
            }
        }
        LOG.info(
                "loaded model {} version {} from {} ({}, {}, {})",
                name,
                version,
                p.source(),
                p.platform(),
                p.device(),
                batching);
        if (old != null) {
            release(old);
        }
        return s;
    }

    private static void check(String name, String version) {
        if (name == null || !name.matches(NAME)) {
            throw new UserInputException(
                    "model name '" + name + "' is not valid; use letters, digits, '_', '.', '-' (at most 64)");
        }
        if (version == null || !version.matches(NAME)) {
            throw new UserInputException(
                    "model version '" + version + "' is not valid; use letters, digits, '_', '.', '-'");
        }
    }

    /** Unloads one version (null: every version) of a model; unknown names or versions are {@link NotFoundException}s. */
    public void unload(String name, String version) {
        List<Served> gone = new ArrayList<>();
        synchronized (this) {
            java.util.NavigableMap<String, Served> vs = versions(name);
            if (version == null) {
                gone.addAll(vs.values());
                models.remove(name);
                defaults.remove(name);
                vs.keySet().forEach(v -> markUnavailable(name, v, "unloaded"));
            } else {
                Served s = vs.remove(version);
                if (s == null) {
                    throw new NotFoundException(
                            "model '" + name + "' has no version '" + version + "'; versions: " + vs.keySet());
                }
                gone.add(s);
                markUnavailable(name, version, "unloaded");
                if (vs.isEmpty()) {
                    models.remove(name);
                }
                defaults.remove(name, version);
            }
        }
        gone.forEach(this::release);
    }

    /** The version asked for, or the default version when {@code version} is null. */
    public Served get(String name, String version) {
        java.util.NavigableMap<String, Served> vs = versions(name);
        synchronized (this) {
            String v = version != null ? version : defaults.getOrDefault(name, vs.isEmpty() ? null : vs.lastKey());
            Served s = v == null ? null : vs.get(v);
            if (s == null) {
                throw new NotFoundException(
                        "model '" + name + "' has no version '" + version + "'; versions: " + vs.keySet());
            }
            return s;
        }
    }

    /** Every loaded version of a model, in version order. */
    public synchronized List<String> versionsOf(String name) {
        return new ArrayList<>(versions(name).keySet());
    }

    /** Every loaded model version. */
    public synchronized List<Served> all() {
        List<Served> out = new ArrayList<>();
        new TreeMap<>(models).values().forEach(vs -> out.addAll(vs.values()));
        return out;
    }

    /** Whether {@code name} is loaded (any version). */
    public boolean isLoaded(String name) {
        return name != null && models.containsKey(name);
    }

    /** Whether the index knows {@code name}: loaded, in the repository folder, or loaded once. */
    public boolean isKnown(String name) {
        return isLoaded(name) || unavailable.containsKey(name) || (store != null && store.contains(name));
    }

    /** Whether no model version is known. */
    public boolean isEmpty() {
        return models.isEmpty();
    }

    private java.util.NavigableMap<String, Served> versions(String name) {
        java.util.NavigableMap<String, Served> vs = models.get(name);
        if (vs == null) {
            throw new NotFoundException(
                    "model '" + name + "' is not loaded; models: " + new TreeMap<>(models).keySet());
        }
        return vs;
    }

    private void release(Served s) {
        s.dispatcher().close(); // finishes accepted work first
        s.predictor().close();
        LOG.info("unloaded model {} version {}", s.name(), s.version());
    }

    /** Finishes the work accepted so far and frees every model. */
    @Override
    public void close() {
        List<Served> all;
        synchronized (this) {
            all = all();
            models.clear();
            defaults.clear();
        }
        all.forEach(this::release);
    }

    static int compareVersions(String a, String b) {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
            return Comparator.<Long>naturalOrder().compare(Long.parseLong(a), Long.parseLong(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    }

    /** A model or version that is not loaded (HTTP 404). */
    public static final class NotFoundException extends UserInputException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message which model or version, and what exists
         */
        public NotFoundException(String message) {
            super(message);
        }
    }
}
