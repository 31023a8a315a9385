package dev.mtlj.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Prometheus metrics of one server (its own registry, so several servers in one JVM do not mix): inference requests
 * by model, version and HTTP status; request latency; examples per forward pass; requests queued per model.
 */
public final class ServingMetrics {
    private static final double[] LATENCY_BOUNDS = {
        0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5
    };
    private static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name("mtlj_inference_requests_total")
            .help("Inference requests by model, version and HTTP status code")
            .labelNames("model", "version", "code")
            .register(registry);
    private final Histogram latency = Histogram.builder()
            .name("mtlj_inference_request_duration_seconds")
            .help("Inference request latency inside the server (body read to response written)")
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .labelNames("model", "version")
            .register(registry);
    private final Histogram batchSize = Histogram.builder()
            .name("mtlj_inference_batch_size")
            .help("Examples per forward pass")
            .classicOnly()
            .classicUpperBounds(BATCH_BOUNDS)
            .labelNames("model", "version")
            .register(registry);
    private final Counter batchRequests = Counter.builder()
            .name("mtlj_inference_batched_requests_total")
            .help("Requests served per forward pass, summed (divide by the batch count for requests per batch)")
            .labelNames("model", "version")
            .register(registry);

    /** One queue-depth gauge over {@code models} (read at scrape time). */
    public ServingMetrics(Supplier<Iterable<ModelRepository.Served>> models) {
        GaugeWithCallback.builder()
                .name("mtlj_inference_queue_depth")
                .help("Requests accepted and not yet answered, per model version")
                .labelNames("model", "version")
                .callback(cb -> models.get().forEach(s -> cb.call(s.dispatcher().depth(), s.name(), s.version())))
                .register(registry);
    }

    /**
     * Per model version, what Triton's statistics extension reports and is cheap to count: requests that succeeded
     * and failed with their summed latency, examples inferred, forward passes run, the time of the last request.
     *
     * @param successCount  requests answered 2xx
     * @param successNs     their summed latency inside the server, ns
     * @param failCount     requests answered with an error
     * @param failNs        their summed latency, ns
     * @param inferences    examples inferred
     * @param executions    forward passes (batches)
     * @param lastInference epoch milliseconds of the last request (0: none)
     */
    public record Stats(
            long successCount,
            long successNs,
            long failCount,
            long failNs,
            long inferences,
            long executions,
            long lastInference) {}

    private static final class Counts {
        final LongAdder successCount = new LongAdder();
        final LongAdder successNs = new LongAdder();
        final LongAdder failCount = new LongAdder();
        final LongAdder failNs = new LongAdder();
        final LongAdder inferences = new LongAdder();
        final LongAdder executions = new LongAdder();
        volatile long last;
    }

    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    private Counts counts(String model, String version) {
        return counts.computeIfAbsent(model + "\u0000" + version, k -> new Counts());
    }

    /** A model version's statistics so far (zeros when it saw no request). */
    public Stats stats(String model, String version) {
        Counts c = counts(model, version);
        return new Stats(
                c.successCount.sum(),
                c.successNs.sum(),
                c.failCount.sum(),
                c.failNs.sum(),
                c.inferences.sum(),
                c.executions.sum(),
                c.last);
    }

    /**
     * Counts a finished inference request that started at {@code startNanos} ({@link System#nanoTime}) on
     * {@code served} (null when no model was found).
     */
    public void request(ModelRepository.Served served, int status, long startNanos) {
        request(
                served == null ? "" : served.name(),
                served == null ? "" : served.version(),
                status,
                (System.nanoTime() - startNanos) / 1e9);
    }

    private void request(String model, String version, int status, double seconds) {
        requests.labelValues(model, version, Integer.toString(status)).inc();
        if (status < 400) {
            latency.labelValues(model, version).observe(seconds);
        }
        if (!model.isEmpty()) {
            Counts c = counts(model, version);
            (status < 400 ? c.successCount : c.failCount).increment();
            (status < 400 ? c.successNs : c.failNs).add((long) (seconds * 1e9));
            c.last = System.currentTimeMillis();
        }
    }

    /** The observer a model's dispatcher reports its forward passes to. */
    public Dispatcher.BatchObserver batches(String model, String version) {
        Counts c = counts(model, version);
        return (examples, reqs) -> {
            batchSize.labelValues(model, version).observe(examples);
            batchRequests.labelValues(model, version).inc(reqs);
            c.inferences.add(examples);
            c.executions.increment();
        };
    }

    /** Writes the Prometheus text exposition format (version 0.0.4). */
    public void write(OutputStream out) throws IOException {
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }

    /** The Prometheus text format's content type. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
