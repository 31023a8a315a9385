package dev.mtlj.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.config.TrackingSpec;
import dev.mtlj.train.Report;
import dev.mtlj.train.TrainingListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a run to an MLflow tracking server through MLflow's own Java client: the resolved config as parameters
 * (flattened, {@code train.steps}), every record of {@code metrics.jsonl} as metrics under the TensorBoard tags
 * ({@code train/loss/y1} at the 1-based step), and at the end {@code config.yaml}, {@code summary.json} and
 * {@code summary.md} as artifacts (through the server's artifact proxy, {@code mlflow server}'s default) and the run's
 * status (FINISHED, KILLED when stopped early, FAILED). A resumed run continues the same MLflow run (its id is kept in
 * {@code mlflow.json} in the run folder).
 *
 * <p>Training never waits for or stops because of the server: every call runs on one background thread, and the
 * first failure (unreachable server, refused request) is one warning, after which the run goes on untracked.
 */
final class MlflowTracking implements TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowTracking.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_METRICS_PER_BATCH = 1000; // MLflow's log-batch limits
    private static final int MAX_PARAMS_PER_BATCH = 100;
    private final String uri;
    private final MlflowClient client;
    private final ExecutorService worker;
    private volatile boolean failed;
    private volatile String runId;
    private volatile String artifactUri;

    private MlflowTracking(TrackingSpec.Mlflow spec, RunConfig config, Path runDir) {
        this.uri = spec.uri().replaceAll("/+$", "");
        this.client = new MlflowClient(uri);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "mlflow");
            t.setDaemon(true);
            return t;
        });
        submit(() -> start(spec, config, runDir));
    }

    /** The tracker for {@code config}'s MLflow server, or null when none is configured. */
    static MlflowTracking open(RunConfig config, Path runDir) {
        TrackingSpec.Mlflow spec = config.tracking().mlflow();
        return spec == null ? null : new MlflowTracking(spec, config, runDir);
    }

    /** Whether a call to the server failed (the run then went on without it). */
    boolean failed() {
        return failed;
    }

    /** The MLflow run id, once the server created (or resumed) it; null before or after a failure to. */
    String runId() {
        return runId;
    }

    private void start(TrackingSpec.Mlflow spec, RunConfig config, Path runDir) throws IOException {
        Path idFile = runDir.resolve("mlflow.json");
        if (Files.exists(idFile)) {
            JsonNode saved = JSON.readTree(idFile.toFile());
            if (uri.equals(saved.path("uri").asText())) {
                runId = saved.path("run_id").asText();
                artifactUri = client.getRun(runId).getInfo().getArtifactUri();
                LOG.info("MLflow: continuing run {} at {}", runId, uri);
                return;
            }
        }
        // a search, not get-by-name: the Java client retries get-by-name's 404 for a new experiment, warning each time
        String quoted = "'" + spec.experiment().replace("'", "\\'") + "'";
        String experimentId = client.searchExperiments("name = " + quoted).getItems().stream()
                .filter(e -> e.getName().equals(spec.experiment()))
                .map(e -> e.getExperimentId())
                .findFirst()
                .orElseGet(() -> client.createExperiment(spec.experiment()));
        var info = client.createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName(config.name())
                .setStartTime(System.currentTimeMillis())
                .build());
        runId = info.getRunId();
        artifactUri = info.getArtifactUri();
        Files.writeString(
                idFile,
                JSON.writeValueAsString(Map.of("uri", uri, "run_id", runId, "experiment_id", experimentId)),
                StandardCharsets.UTF_8);
        List<Param> params = new ArrayList<>();
        flatten("", new ObjectMapper(new YAMLFactory()).readTree(ConfigLoader.toYaml(config)), params);
        for (int i = 0; i < params.size(); i += MAX_PARAMS_PER_BATCH) {
            client.logBatch(
                    runId, List.of(), params.subList(i, Math.min(params.size(), i + MAX_PARAMS_PER_BATCH)), List.of());
        }
        LOG.info("MLflow: run {} in experiment '{}' at {}", runId, spec.experiment(), uri);
    }

    /** Parameters from the resolved config: one per leaf, named by its path ({@code balancer.alpha}). */
    private static void flatten(String prefix, JsonNode node, List<Param> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            String v = node.isValueNode() ? node.asText() : node.toString();
            out.add(Param.newBuilder()
                    .setKey(prefix)
                    .setValue(v.length() > 6000 ? v.substring(0, 6000) : v) // MLflow's value limit
                    .build());
        }
    }

    @Override
    public void onReport(Report r) {
        long step = r.step() + 1;
        long now = System.currentTimeMillis();
        List<Metric> metrics = new ArrayList<>();
        ScalarTags.of(r)
                .forEach((key, value) -> metrics.add(Metric.newBuilder()
                        .setKey(key)
                        .setValue(value)
                        .setStep(step)
                        .setTimestamp(now)
                        .build()));
        submit(() -> {
            for (int i = 0; i < metrics.size(); i += MAX_METRICS_PER_BATCH) {
                client.logBatch(
                        runId,
                        metrics.subList(i, Math.min(metrics.size(), i + MAX_METRICS_PER_BATCH)),
                        List.of(),
                        List.of());
            }
        });
    }

    /**
     * Uploads the run folder's config and summary and sets the run's final status, waiting up to {@code waitS} seconds
     * for the calls queued so far; past that, a warning and the run ends untracked.
     */
    void finish(Path runDir, RunStatus status, int waitS) {
        submit(() -> {
            for (String name : new String[] {"config.yaml", "summary.json", "summary.md"}) {
                Path f = runDir.resolve(name);
                if (Files.exists(f)) {
                    upload(f);
                }
            }
            client.setTerminated(runId, status, System.currentTimeMillis());
        });
        worker.shutdown();
        try {
            if (!worker.awaitTermination(waitS, TimeUnit.SECONDS)) {
                LOG.warn("MLflow: {} did not take the run's last records within {} s; they are lost", uri, waitS);
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** PUT through the server's artifact proxy ({@code mlflow-artifacts:/...}), the default of {@code mlflow server}. */
    private void upload(Path file) throws IOException, InterruptedException {
        String prefix = "mlflow-artifacts:";
        if (artifactUri == null || !artifactUri.startsWith(prefix)) {
            throw new IOException("the run's artifact store is " + artifactUri
                    + "; mtlj uploads only through the server's artifact proxy (mlflow server --serve-artifacts)");
        }
        String path = artifactUri
                .substring(prefix.length())
                .replaceFirst("^//[^/]*", "")
                .replaceFirst("^/+", "");
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        uri + "/api/2.0/mlflow-artifacts/artifacts/" + path + "/" + file.getFileName()))
                                .timeout(Duration.ofSeconds(30))
                                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(
                    "artifact upload of " + file.getFileName() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private void submit(Call call) {
        if (failed) {
            return;
        }
        try {
            worker.execute(() -> {
                if (failed) {
                    return;
                }
                try {
                    call.run();
                } catch (Exception e) {
                    fail(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException full) {
            fail(full);
        }
    }

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            LOG.warn("MLflow: {} failed ({}); the run goes on without MLflow tracking", uri, message(e));
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        while (e.getCause() != null && (m == null || m.isBlank())) {
            e = e.getCause();
            m = e.getMessage();
        }
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        client.close();
    }
}
