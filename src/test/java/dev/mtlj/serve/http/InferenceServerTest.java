package dev.mtlj.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlj.serve.BatchModel;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.DynamicBatcher;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServedRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The v2 HTTP server on an ephemeral port of 127.0.0.1, serving the shared trained run as two versions. */
class InferenceServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PredictorOptions CPU = PredictorOptions.defaults().withDevice("cpu");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InferenceServer server;
    private static Predictor reference;
    private static String base;

    record Reply(int status, JsonNode body, String text) {}

    /**
     * A model repository folder beside the two versions loaded from the run directly: {@code extra/3/} (a copy of the
     * run's checkpoint) and {@code damaged/1/} (a copy with one bit flipped), neither loaded at start.
     */
    private static Path repositoryRoot;

    static Path store() throws IOException {
        Path root = Files.createTempDirectory("mtlj-model-repository");
        Path ckpt = dev.mtlj.checkpoint.CheckpointFile.resolve(ServedRun.dir());
        Files.createDirectories(root.resolve("extra/3"));
        Files.copy(ckpt, root.resolve("extra/3/model.ckpt"));
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length / 3] ^= 0x10;
        Files.createDirectories(root.resolve("damaged/1"));
        Files.write(root.resolve("damaged/1/model.ckpt"), b);
        return root;
    }

    @BeforeAll
    static void start() throws IOException {
        repositoryRoot = store();
        ModelRepository repo = new ModelRepository(new dev.mtlj.serve.ModelStore(repositoryRoot));
        repo.load("toy", "1", ServedRun.dir(), CPU, BatchingOptions.defaults(), false);
        repo.load("toy", "2", ServedRun.dir(), CPU, BatchingOptions.disabled(16), false);
        server = new InferenceServer(repo, new ServerOptions("127.0.0.1", 0, 64 * 1024, 32, 5, true, 30, 256));
        base = "http://127.0.0.1:" + server.port();
        reference = Predictor.open(ServedRun.dir(), CPU);
    }

    @AfterAll
    static void stop() {
        server.close();
        reference.close();
    }

    static Reply get(String path) throws Exception {
        return reply(HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    static Reply post(String path, String body) throws Exception {
        return post(base, path, body);
    }

    static Reply post(String at, String path, String body) throws IOException, InterruptedException {
        return reply(HTTP.send(
                HttpRequest.newBuilder(URI.create(at + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply reply(HttpResponse<String> r) {
        JsonNode body;
        try {
            body = r.body().isEmpty() || r.body().startsWith("#") ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        return new Reply(r.statusCode(), body, r.body());
    }

    static ObjectNode request(float[] x, int rows, String... outputs) {
        ObjectNode req = JSON.createObjectNode();
        req.put("id", "r-1");
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", "input").put("datatype", "FP32");
        in.putArray("shape").add(rows).add(x.length / rows);
        ArrayNode data = in.putArray("data");
        for (float v : x) {
            data.add(v);
        }
        if (outputs.length > 0) {
            ArrayNode outs = req.putArray("outputs");
            for (String o : outputs) {
                outs.addObject().put("name", o);
            }
        }
        return req;
    }

    static float[] input(long seed, int rows) {
        Random rnd = new Random(seed);
        float[] x = new float[rows * 250];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    static float[] data(JsonNode output) {
        float[] out = new float[output.get("data").size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = output.get("data").get(i).floatValue();
        }
        return out;
    }

    @Test
    void healthMetadataAndVersions() throws Exception {
        assertThat(get("/v2/health/live").body().get("live").asBoolean()).isTrue();
        assertThat(get("/v2/health/ready").status()).isEqualTo(200);
        Reply meta = get("/v2/models/toy");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.body().get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(meta.body().get("platform").asText()).isEqualTo("mtlj");
        assertThat(meta.body().get("inputs").get(0).toString())
                .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,250]}");
        assertThat(meta.body().get("outputs").findValuesAsText("name")).containsExactly("y1", "y2", "cls");
        assertThat(meta.body().get("outputs").get(2).get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(get("/v2/models/toy/versions/1").status()).isEqualTo(200);
        assertThat(get("/v2/models/toy/ready").body().get("ready").asBoolean()).isTrue();
        assertThat(get("/v2/models/toy/versions/2/ready").status()).isEqualTo(200);
        assertThat(get("/v2").body().get("extensions").toString()).contains("classification");
    }

    @Test
    void inferReturnsThePredictorsOutputsAndHonoursOutputsAndTopK() throws Exception {
        float[] x = input(1, 3);
        Predictions expected = reference.predict(x, 3, null);
        for (String path :
                List.of("/v2/models/toy/infer", "/v2/models/toy/versions/1/infer", "/v2/models/toy/versions/2/infer")) {
            Reply r = post(path, request(x, 3).toString());
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.body().get("id").asText()).isEqualTo("r-1");
            assertThat(r.body().get("model_version").asText())
                    .isEqualTo(path.contains("/1/") ? "1" : "2"); // default: highest
            JsonNode outs = r.body().get("outputs");
            assertThat(outs.findValuesAsText("name")).containsExactly("y1", "y2", "cls");
            assertThat(outs.get(2).get("shape").toString()).isEqualTo("[3,3]");
            assertThat(data(outs.get(2))).containsExactly(expected.task("cls").values(), within(1e-5f));
            assertThat(data(outs.get(0))).containsExactly(expected.task("y1").values(), within(1e-4f));
        }
        ObjectNode topk = request(x, 3, "cls");
        ((ObjectNode) topk.get("outputs").get(0)).putObject("parameters").put("classification", 2);
        Reply r = post("/v2/models/toy/infer", topk.toString());
        JsonNode cls = r.body().get("outputs").get(0);
        assertThat(r.body().get("outputs").size()).isEqualTo(1);
        assertThat(cls.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(cls.get("shape").toString()).isEqualTo("[3,2]");
        String best = cls.get("data").get(0).asText(); // "probability:class" of row 0's most likely class
        assertThat(Integer.parseInt(best.substring(best.indexOf(':') + 1)))
                .isEqualTo(expected.task("cls").label(0));
        assertThat(Float.parseFloat(best.substring(0, best.indexOf(':'))))
                .isCloseTo(expected.task("cls").row(0)[expected.task("cls").label(0)], within(1e-5f));
        // nested data is read row-major like flat data
        ObjectNode nested = request(input(1, 1), 1);
        ArrayNode flat = (ArrayNode) nested.get("inputs").get(0).get("data");
        ArrayNode row = JSON.createArrayNode().addAll(flat);
        ((ObjectNode) nested.get("inputs").get(0)).putArray("data").add(row);
        assertThat(data(post("/v2/models/toy/infer", nested.toString())
                        .body()
                        .get("outputs")
                        .get(2)))
                .containsExactly(expected.slice(0, 1, null).task("cls").values(), within(1e-5f));
    }

    @Test
    void everyBadRequestGetsItsOwn4xxWithAJsonError() throws Exception {
        String ok = request(input(2, 1), 1).toString();
        expectError(post("/v2/models/toy/infer", "{\"inputs\": [{"), 400, "malformed JSON");
        expectError(post("/v2/models/toy/infer", ""), 400, "body is empty");
        expectError(post("/v2/models/toy/infer", "[1,2]"), 400, "must be a JSON object");
        expectError(
                post("/v2/models/toy/infer", ok.replace("\"shape\":[1,250]", "\"shape\":[1,249]")),
                400,
                "inputs[0].shape [1, 249] does not fit this model; expected [B, 250]");
        expectError(
                post("/v2/models/toy/infer", ok.replace("\"shape\":[1,250]", "\"shape\":[2,250]")),
                400,
                "inputs[0].data holds 250 values; shape [2, 250] needs 500");
        expectError(
                post("/v2/models/toy/infer", ok.replaceFirst("\"data\":\\[[^,]+,", "\"data\":[\"abc\",")),
                400,
                "inputs[0].data: value 0 is \"abc\", not a number");
        expectError(
                post("/v2/models/toy/infer", ok.replaceFirst("\"data\":\\[[^,]+,", "\"data\":[NaN,")),
                400,
                "malformed JSON");
        expectError(
                post("/v2/models/toy/infer", ok.replaceFirst("\"data\":\\[[^,]+,", "\"data\":[1e39,")),
                400,
                "is not a finite float32");
        expectError(
                post("/v2/models/toy/infer", ok.replace("\"FP32\"", "\"BYTES\"")),
                400,
                "datatype 'BYTES' is not allowed");
        expectError(
                post("/v2/models/toy/infer", ok.replace("\"name\":\"input\"", "\"name\":\"x\"")),
                400,
                "unknown input 'x'");
        expectError(
                post("/v2/models/toy/infer", request(input(2, 1), 1, "y9").toString()),
                400,
                "unknown output 'y9' (outputs[0]); outputs (tasks): [y1, y2, cls]");
        ObjectNode topk = request(input(2, 1), 1, "y1");
        ((ObjectNode) topk.get("outputs").get(0)).putObject("parameters").put("classification", 2);
        expectError(
                post("/v2/models/toy/infer", topk.toString()),
                400,
                "outputs[0].parameters.classification must be an integer 1..100 on a classification task; got 2 for"
                        + " 'y1', a regression task");
        ((ObjectNode) topk.get("outputs").get(0)).put("name", "cls");
        ((ObjectNode) topk.get("outputs").get(0).get("parameters")).put("classification", 1.5);
        expectError(
                post("/v2/models/toy/infer", topk.toString()),
                400,
                "outputs[0].parameters.classification must be an integer 1..3 on a classification task; got 1.5");
        expectError(post("/v2/models/nope/infer", ok), 404, "model 'nope' is not loaded; models: [toy]");
        expectError(post("/v2/models/toy/versions/7/infer", ok), 404, "has no version '7'");
        expectError(get("/v2/models/toy/infer"), 405, "method GET is not allowed");
        expectError(get("/v3/anything"), 404, "no route GET /v3/anything");
        expectError(
                post("/v2/models/toy/infer", request(input(3, 300), 300).toString()), 413, "larger than 65536 bytes");
        assertThat(post("/v2/models/toy/infer", ok).status()).isEqualTo(200); // and the server is fine
    }

    /**
     * The probe's lower findings on requests: integer datatypes take only integers in range, a key given twice and data
     * given both ways are refused, an error never echoes more than 1,000 characters of the request, the server's own
     * paths never reach a client, and an output that overflowed to NaN or Inf is refused instead of sent as "NaN".
     */
    @Test
    void requestsAreReadStrictlyAndRepliesStayBounded() throws Exception {
        String ok = request(input(2, 1), 1).toString();
        String int8 = ok.replace("\"FP32\"", "\"INT8\"");
        expectError(
                post("/v2/models/toy/infer", int8.replaceFirst("\"data\":\\[[^,]+,", "\"data\":[0.2,")),
                400,
                "inputs[0].data: value 0 (0.2) is not a INT8 (an integer in [-128, 127])");
        expectError(
                post("/v2/models/toy/infer", int8.replaceFirst("\"data\":\\[[^,]+,", "\"data\":[1000,")),
                400,
                "value 0 (1000) is not a INT8");
        String ints = int8.replaceAll("-?\\d+\\.\\d+(E-?\\d+)?", "1");
        assertThat(post("/v2/models/toy/infer", ints).status()).isEqualTo(200);
        expectError(
                post("/v2/models/toy/infer", ok.replace("{\"id\"", "{\"inputs\":[],\"id\"")),
                400,
                "Duplicate field 'inputs'");
        expectError(
                post(
                        "/v2/models/toy/infer",
                        ok.replace(
                                "\"datatype\":\"FP32\"",
                                "\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":1000}")),
                400,
                "has both \"data\" and parameters.binary_data_size");
        String longName = "n".repeat(50_000);
        Reply echo = post("/v2/models/toy/infer", ok.replace("\"name\":\"input\"", "\"name\":\"" + longName + "\""));
        assertThat(echo.status()).isEqualTo(400);
        assertThat(echo.text().length()).isLessThan(1200);
        assertThat(echo.body().get("error").asText()).endsWith("(cut at 1000 characters)");
        for (String model : List.of("none", "damaged")) {
            Reply r = post("/v2/repository/models/" + model + "/load", "");
            assertThat(r.status()).isBetween(400, 404);
            assertThat(r.text()).doesNotContain(repositoryRoot.toString());
        }
        assertThat(post("/v2/repository/index", "{}").text()).doesNotContain(repositoryRoot.toString());
        String everyFeatureHuge = ok.replaceAll("-?\\d+\\.\\d+(E-?\\d+)?", "3.0E38");
        expectError(post("/v2/models/toy/infer", everyFeatureHuge), 400, "the input overflows the model");
    }

    private static void expectError(Reply r, int status, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.body().get("error").asText()).contains(message);
        assertThat(r.text()).doesNotContain("at dev.mtlj", "Exception");
    }

    @Test
    void concurrentClientsEachGetTheirOwnResult() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            jobs.add(pool.submit(() -> {
                for (int k = 0; k < 12; k++) {
                    int rows = 1 + (thread + k) % 3;
                    float[] x = input(100L * thread + k, rows);
                    Reply r = post(
                            "/v2/models/toy/versions/1/infer",
                            request(x, rows, "cls").toString());
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(data(r.body().get("outputs").get(0)))
                            .containsExactly(
                                    reference
                                            .predict(x, rows, List.of("cls"))
                                            .task("cls")
                                            .values(),
                                    within(1e-5f));
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        String metrics = get("/metrics").text();
        assertThat(metrics)
                .contains("mtlj_inference_requests_total{code=\"200\",model=\"toy\",version=\"1\"}")
                .contains("mtlj_inference_batch_size_bucket{model=\"toy\",version=\"1\",le=\"1.0\"}")
                .contains("mtlj_inference_queue_depth{model=\"toy\",version=\"1\"} 0.0")
                .contains("mtlj_inference_request_duration_seconds_count{model=\"toy\",version=\"1\"}");
    }

    /** A predictor wrapper that can be held inside its forward pass, to fill a queue on purpose. */
    static final class Held implements BatchModel {
        final Predictor inner;
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);

        Held(Predictor inner) {
            this.inner = inner;
        }

        @Override
        public void check(float[] flat, int rows, Collection<String> tasks) {
            inner.check(flat, rows, tasks);
        }

        @Override
        public Predictions predict(float[] flat, int rows, Collection<String> tasks) {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.predict(flat, rows, tasks);
        }
    }

    @Test
    void overloadGives503AndRecoversAndShutdownDrainsRequestsInFlight() throws Exception {
        ModelRepository repo = new ModelRepository();
        Predictor p = Predictor.open(ServedRun.dir(), CPU);
        Held held = new Held(p);
        BatchingOptions small = new BatchingOptions(true, 4, 0, 1);
        repo.add(
                "held",
                "1",
                p,
                new DynamicBatcher(held, small, repo.metrics().batches("held", "1"), "held"),
                small,
                true);
        InferenceServer s =
                new InferenceServer(repo, new ServerOptions("127.0.0.1", 0, 1 << 20, 16, 10, false, 30, 256));
        String at = "http://127.0.0.1:" + s.port();
        String body = request(input(5, 1), 1).toString();
        try {
            CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() -> call(at, body));
            assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue(); // in the forward pass
            CompletableFuture<Reply> queued = CompletableFuture.supplyAsync(() -> call(at, body));
            for (int i = 0; i < 1000 && repo.get("held", "1").dispatcher().depth() < 1; i++) {
                Thread.sleep(10); // until the second request holds the one queue slot
            }
            assertThat(repo.get("held", "1").dispatcher().depth()).isEqualTo(1);
            expectError(post(at, "/v2/models/held/infer", body), 503, "overloaded: 1 requests already queued");
            expectError(post(at, "/v2/repository/models/held/unload", ""), 403, "model control is off");
            held.release.countDown();
            assertThat(running.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(queued.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(post(at, "/v2/models/held/infer", body).status()).isEqualTo(200); // recovered
            assertThat(reply(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(at + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()))
                            .text())
                    .contains("mtlj_inference_requests_total{code=\"503\",model=\"held\",version=\"1\"}");
            // graceful shutdown: a request held in its forward pass still gets its answer
            held.entered = new CountDownLatch(1);
            held.release = new CountDownLatch(1);
            CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(() -> call(at, body));
            assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(s::close);
            closer.start();
            Thread.sleep(100);
            // while it drains, a new request gets a 503 with a JSON body (before: Undertow's empty 503)
            expectError(post(at, "/v2/models/held/infer", body), 503, "the server is shutting down");
            held.release.countDown();
            assertThat(inFlight.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            closer.join(20_000);
            assertThat(closer.isAlive()).isFalse();
        } finally {
            held.release.countDown();
            s.close();
        }
    }

    /**
     * Only the server's own overload signal is a 503: a model failing with an ordinary Java exception (here an
     * IllegalStateException, as a bug would raise) is a 500 whose body names no internals, not a retryable 503.
     */
    @Test
    void aFailingModelIsA500NotA503() throws Exception {
        ModelRepository repo = new ModelRepository();
        Predictor p = Predictor.open(ServedRun.dir(), CPU);
        BatchModel broken = new BatchModel() {
            @Override
            public void check(float[] flat, int rows, Collection<String> tasks) {
                p.check(flat, rows, tasks);
            }

            @Override
            public Predictions predict(float[] flat, int rows, Collection<String> tasks) {
                throw new IllegalStateException("a bug");
            }
        };
        BatchingOptions direct = new BatchingOptions(false, 1, 0, 4);
        repo.add("broken", "1", p, new dev.mtlj.serve.DirectDispatcher(broken, 4, (r, b) -> {}), direct, true);
        try (InferenceServer s =
                new InferenceServer(repo, new ServerOptions("127.0.0.1", 0, 1 << 20, 16, 10, false, 30, 256))) {
            Reply r = post(
                    "http://127.0.0.1:" + s.port(),
                    "/v2/models/broken/infer",
                    request(input(5, 1), 1).toString());
            expectError(r, 500, "internal error; see the server log");
            assertThat(r.text()).doesNotContain("a bug");
        }
    }

    private static Reply call(String at, String body) {
        try {
            return post(at, "/v2/models/held/infer", body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Models load and unload by name from the repository folder, and stay in the index when unloaded (before: any
     * path a request named was loaded, and unloaded models vanished from the index).
     */
    @Test
    void modelControlLoadsAndUnloadsByNameFromTheRepository() throws Exception {
        Reply load = post("/v2/repository/models/extra/load", "");
        assertThat(load.status()).as(load.text()).isEqualTo(200);
        assertThat(get("/v2/models/extra/versions/3/ready").status()).isEqualTo(200);
        assertThat(index("{}")).contains("extra 3 READY ", "toy 1 READY ", "toy 2 READY ");
        assertThat(post("/v2/repository/models/extra/unload", "").status()).isEqualTo(200);
        expectError(get("/v2/models/extra"), 404, "model 'extra' is not loaded");
        assertThat(index("{}")).contains("extra 3 UNAVAILABLE unloaded");
        assertThat(index("{\"ready\": true}"))
                .doesNotContain("extra 3 UNAVAILABLE unloaded")
                .contains("toy 1 READY ");
        expectError(post("/v2/repository/models/nope/load", ""), 404, "model 'nope' is not in the model repository");
    }

    /**
     * Model control verifies every load (the probe's defect 2: a per-path cache skipped the check while size and
     * modification time were unchanged): a checkpoint damaged in place between two loads, its size and time put back,
     * is refused on the second.
     */
    @Test
    void modelControlVerifiesEveryLoad() throws Exception {
        Path ckpt = repositoryRoot.resolve("inplace/1/model.ckpt");
        Files.createDirectories(ckpt.getParent());
        Files.copy(dev.mtlj.checkpoint.CheckpointFile.resolve(ServedRun.dir()), ckpt);
        assertThat(post("/v2/repository/models/inplace/load", "").status()).isEqualTo(200);
        assertThat(post("/v2/repository/models/inplace/unload", "").status()).isEqualTo(200);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(ckpt);
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length / 2] ^= 0x04;
        Files.write(ckpt, b);
        Files.setLastModifiedTime(ckpt, mtime);
        expectError(post("/v2/repository/models/inplace/load", ""), 400, "is corrupt (checksum mismatch)");
        expectError(get("/v2/models/inplace"), 404, "model 'inplace' is not loaded");
    }

    /** No request names a file: a path is refused without a word about whether it exists. */
    @Test
    void aLoadNamingAPathIsRefused() throws Exception {
        for (String path : new String[] {"/etc/shadow", "/no/such/file"}) {
            Reply r = post("/v2/repository/models/extra/load", "{\"parameters\": {\"path\": \"" + path + "\"}}");
            expectError(
                    r,
                    400,
                    "load takes no parameter 'path': models are loaded by name from the model repository"
                            + " folder, never from a path or file a request names");
            assertThat(r.text()).doesNotContain(path);
        }
        expectError(
                post("/v2/repository/models/extra/load", "{\"parameters\": {\"file:1/model.pt\": \"AAAA\"}}"),
                400,
                "load takes no parameter 'file:1/model.pt'");
        expectError(post("/v2/repository/models/..%2Fetc/load", ""), 404, "is not in the model repository");
    }

    /** A damaged checkpoint in the repository is refused naming the file, and stays UNAVAILABLE with the reason. */
    @Test
    void modelControlRefusesADamagedCheckpoint() throws Exception {
        expectError(post("/v2/repository/models/damaged/load", ""), 400, "is corrupt (checksum mismatch)");
        expectError(get("/v2/models/damaged"), 404, "model 'damaged' is not loaded");
        assertThat(index("{}")).anyMatch(l -> l.startsWith("damaged 1 UNAVAILABLE ") && l.contains("is corrupt"));
    }

    /** The index as "name version state reason" lines. */
    private static List<String> index(String body) throws Exception {
        Reply r = post("/v2/repository/index", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        r.body()
                .forEach(e -> lines.add(e.get("name").asText() + " "
                        + e.get("version").asText() + " " + e.get("state").asText() + " "
                        + e.get("reason").asText()));
        return lines;
    }
}
