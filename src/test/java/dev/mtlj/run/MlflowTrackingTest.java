package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow tracking through MLflow's Java client, against a stand-in server that answers the REST calls as MLflow 2.x
 * documents them (REST API reference: experiments/search, experiments/create, runs/create, runs/log-batch,
 * runs/update; artifact proxy PUT /api/2.0/mlflow-artifacts/artifacts/...). The real server is exercised outside
 * CI by benchmarks/mlflow-check. An unreachable server never stops training.
 */
class MlflowTrackingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records every request; answers like an MLflow server with no experiment named "mtlj-test" yet. */
    private static final class FakeMlflow implements AutoCloseable {
        final HttpServer server;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<JsonNode>> bodies = Collections.synchronizedMap(new HashMap<>());
        final Map<String, String> artifacts = Collections.synchronizedMap(new HashMap<>());

        FakeMlflow() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            byte[] in = x.getRequestBody().readAllBytes();
            calls.add(x.getRequestMethod() + " " + path);
            String answer = "{}";
            if (path.startsWith("/api/2.0/mlflow-artifacts/artifacts/")) {
                artifacts.put(
                        path.substring("/api/2.0/mlflow-artifacts/artifacts/".length()),
                        new String(in, StandardCharsets.UTF_8));
            } else {
                if (in.length > 0) {
                    bodies.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(JSON.readTree(in));
                }
                switch (path) {
                    case "/api/2.0/mlflow/experiments/search" -> answer = "{\"experiments\": []}";
                    case "/api/2.0/mlflow/experiments/create" -> answer = "{\"experiment_id\": \"7\"}";
                    case "/api/2.0/mlflow/runs/create" ->
                        answer = "{\"run\": {\"info\": {\"run_id\": \"r1\","
                                + " \"experiment_id\": \"7\", \"status\": \"RUNNING\","
                                + " \"artifact_uri\": \"mlflow-artifacts:/7/r1/artifacts\"}}}";
                    default -> answer = "{}";
                }
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void aRunLogsItsConfigMetricsArtifactsAndStatus(@TempDir Path dir) throws Exception {
        try (FakeMlflow mlflow = new FakeMlflow()) {
            Run.Result r = Run.train(Quickstart.config(List.of(
                    "device=cpu",
                    "train.steps=20",
                    "train.log_every=10",
                    "train.eval_every=10",
                    "output=" + dir,
                    "tracking.mlflow.uri=" + mlflow.uri(),
                    "tracking.mlflow.experiment=mtlj-test")));
            assertThat(mlflow.calls)
                    .containsSubsequence(
                            "POST /api/2.0/mlflow/experiments/search",
                            "POST /api/2.0/mlflow/experiments/create",
                            "POST /api/2.0/mlflow/runs/create",
                            "POST /api/2.0/mlflow/runs/log-batch",
                            "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/summary.json")
                    .endsWith("POST /api/2.0/mlflow/runs/update");
            assertThat(mlflow.bodies
                            .get("/api/2.0/mlflow/experiments/create")
                            .get(0)
                            .get("name")
                            .asText())
                    .isEqualTo("mtlj-test");
            JsonNode create = mlflow.bodies.get("/api/2.0/mlflow/runs/create").get(0);
            assertThat(create.get("experiment_id").asText()).isEqualTo("7");
            assertThat(create.get("run_name").asText()).isEqualTo("quickstart");

            Map<String, String> params = new HashMap<>();
            Map<String, Double> metrics = new HashMap<>(); // key@step -> value
            for (JsonNode b : mlflow.bodies.get("/api/2.0/mlflow/runs/log-batch")) {
                assertThat(b.get("run_id").asText()).isEqualTo("r1");
                b.path("params")
                        .forEach(p ->
                                params.put(p.get("key").asText(), p.get("value").asText()));
                b.path("metrics")
                        .forEach(m -> metrics.put(
                                m.get("key").asText() + "@" + m.get("step").asLong(),
                                m.get("value").asDouble()));
            }
            assertThat(params)
                    .containsEntry("train.steps", "20")
                    .containsEntry("balancer.type", "gradnorm")
                    .containsEntry("name", "quickstart");
            // every number of metrics.jsonl, under the TensorBoard tags, at the same 1-based step
            int compared = 0;
            for (String line : Files.readAllLines(r.dir().resolve("metrics.jsonl"))) {
                JsonNode rec = JSON.readTree(line);
                String split = rec.get("split").asText();
                long step = rec.get("step").asLong();
                var tasks = rec.get("tasks").fields();
                while (tasks.hasNext()) {
                    var t = tasks.next();
                    var vals = t.getValue().fields();
                    while (vals.hasNext()) {
                        var v = vals.next();
                        if (!v.getValue().isNull()) {
                            assertThat(metrics)
                                    .containsEntry(
                                            split + "/" + v.getKey() + "/" + t.getKey() + "@" + step,
                                            v.getValue().asDouble());
                            compared++;
                        }
                    }
                }
            }
            assertThat(compared).isGreaterThan(50);
            assertThat(mlflow.artifacts)
                    .containsKeys(
                            "7/r1/artifacts/config.yaml", "7/r1/artifacts/summary.json", "7/r1/artifacts/summary.md");
            assertThat(mlflow.artifacts.get("7/r1/artifacts/summary.json"))
                    .isEqualTo(Files.readString(r.dir().resolve("summary.json")));
            JsonNode update = mlflow.bodies.get("/api/2.0/mlflow/runs/update").get(0);
            assertThat(update.get("status").asText()).isEqualTo("FINISHED");
            assertThat(JSON.readTree(r.dir().resolve("mlflow.json").toFile())
                            .get("run_id")
                            .asText())
                    .isEqualTo("r1");

            // resuming continues run r1: no new experiment or run, more metrics, FINISHED again
            mlflow.calls.clear();
            Run.train(
                    Quickstart.config(List.of(
                            "device=cpu",
                            "train.steps=30",
                            "train.log_every=10",
                            "train.eval_every=10",
                            "tracking.mlflow.uri=" + mlflow.uri())),
                    RunOptions.defaults().withResume(r.dir()));
            assertThat(mlflow.calls)
                    .doesNotContain("POST /api/2.0/mlflow/runs/create", "POST /api/2.0/mlflow/experiments/create")
                    .contains("GET /api/2.0/mlflow/runs/get", "POST /api/2.0/mlflow/runs/log-batch");
        }
    }

    /** A server nobody answers on: training finishes as without tracking, and the tracker says it failed. */
    @Test
    void anUnreachableServerNeverStopsTraining(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        var config = Quickstart.config(List.of(
                "device=cpu", "train.steps=20", "output=" + dir, "tracking.mlflow.uri=http://127.0.0.1:" + port));
        Run.Result r = Run.train(config);
        assertThat(r.test()).isNotNull();
        assertThat(r.dir().resolve("summary.json")).exists();
        assertThat(r.dir().resolve("mlflow.json")).doesNotExist();

        MlflowTracking t = MlflowTracking.open(config, dir);
        t.finish(dir, org.mlflow.api.proto.Service.RunStatus.FINISHED, 30);
        assertThat(t.failed()).isTrue();
        assertThat(t.runId()).isNull();
        t.close();
    }
}
