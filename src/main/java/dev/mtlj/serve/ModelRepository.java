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
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

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

    private final Map<String, TreeMap<String, Served>> models = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();
    private final ServingMetrics metrics = new ServingMetrics(this::all);

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
            } else {
                Served s = vs.remove(version);
                if (s == null) {
                    throw new NotFoundException(
                            "model '" + name + "' has no version '" + version + "'; versions: " + vs.keySet());
                }
                gone.add(s);
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

        public NotFoundException(String message) {
            super(message);
        }
    }
}
