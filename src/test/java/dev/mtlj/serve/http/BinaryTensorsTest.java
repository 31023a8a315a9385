package dev.mtlj.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServedRun;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binary tensor data extension as tritonclient and KServe's client send it by default: a JSON header of
 * {@code Inference-Header-Content-Length} bytes, then each input's little-endian bytes; outputs as binary on request.
 * The expected values are the trained predictor's own outputs for the same examples.
 */
class BinaryTensorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InferenceServer server;
    private static Predictor reference;
    private static String base;

    @BeforeAll
    static void start() {
        ModelRepository repo = new ModelRepository();
        PredictorOptions cpu = PredictorOptions.defaults().withDevice("cpu");
        repo.load("toy", "1", ServedRun.dir(), cpu, BatchingOptions.defaults(), true);
        server = new InferenceServer(repo, ServerOptions.defaults().withPort(0));
        base = "http://127.0.0.1:" + server.port();
        reference = Predictor.open(ServedRun.dir(), cpu);
    }

    @AfterAll
    static void stop() {
        server.close();
        reference.close();
    }

    record Reply(int status, String headerLength, byte[] body) {
        JsonNode json() throws java.io.IOException {
            int n = headerLength == null ? body.length : Integer.parseInt(headerLength);
            return JSON.readTree(body, 0, n);
        }

        String error() throws java.io.IOException {
            return json().get("error").asText();
        }
    }

    static Reply send(byte[] body, String headerLength) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v2/models/toy/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) {
            b.header("Inference-Header-Content-Length", headerLength);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(
                r.statusCode(),
                r.headers().firstValue("Inference-Header-Content-Length").orElse(null),
                r.body());
    }

    static float[] input(int rows) {
        Random rnd = new Random(17);
        float[] x = new float[rows * 250];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** A header plus binary input, as tritonclient's default {@code infer} call builds it. */
    static byte[][] binaryRequest(String datatype, byte[] raw, int rows, ObjectNode extra) {
        ObjectNode req = extra == null ? JSON.createObjectNode() : extra;
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", "input").put("datatype", datatype);
        in.putArray("shape").add(rows).add(250);
        in.putObject("parameters").put("binary_data_size", raw.length);
        byte[] header = req.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(raw);
        return new byte[][] {out.toByteArray(), Integer.toString(header.length).getBytes(StandardCharsets.UTF_8)};
    }

    static byte[] littleEndian(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        return b.array();
    }

    static Reply call(byte[][] request) throws Exception {
        return send(request[0], new String(request[1], StandardCharsets.UTF_8));
    }

    /** tritonclient's default call: binary input, no outputs named, binary_data_output — every output as bytes. */
    @Test
    void binaryInputAndOutputsEqualThePredictors() throws Exception {
        float[] x = input(3);
        ObjectNode req = JSON.createObjectNode();
        req.putObject("parameters").put("binary_data_output", true);
        Reply r = call(binaryRequest("FP32", littleEndian(x), 3, req));
        assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headerLength()).isNotNull();
        JsonNode outputs = r.json().get("outputs");
        Predictions want = reference.predict(x, 3, null);
        ByteBuffer rest = ByteBuffer.wrap(
                        r.body(),
                        Integer.parseInt(r.headerLength()),
                        r.body().length - Integer.parseInt(r.headerLength()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode o : outputs) {
            assertThat(o.has("data")).isFalse();
            int bytes = o.get("parameters").get("binary_data_size").asInt();
            float[] got = new float[bytes / 4];
            rest.asFloatBuffer().get(got);
            rest.position(rest.position() + bytes);
            assertThat(got).containsExactly(want.task(o.get("name").asText()).values());
        }
        assertThat(rest.hasRemaining()).isFalse();
    }

    /** Binary input with JSON outputs (KServe's client default), and one output asked as binary by itself. */
    @Test
    void outputsChooseJsonOrBinaryOneByOne() throws Exception {
        float[] x = input(2);
        Predictions want = reference.predict(x, 2, null);
        Reply json = call(binaryRequest("FP32", littleEndian(x), 2, null));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.headerLength()).isNull();
        JsonNode y1 = json.json().get("outputs").get(0);
        float[] got = new float[y1.get("data").size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = y1.get("data").get(i).floatValue();
        }
        assertThat(got).containsExactly(want.task("y1").values());

        ObjectNode req = JSON.createObjectNode();
        req.putArray("outputs")
                .addObject()
                .put("name", "cls")
                .putObject("parameters")
                .put("binary_data", true);
        Reply mixed = call(binaryRequest("FP32", littleEndian(x), 2, req));
        assertThat(mixed.status()).isEqualTo(200);
        JsonNode cls = mixed.json().get("outputs").get(0);
        assertThat(cls.get("parameters").get("binary_data_size").asInt()).isEqualTo(2 * 3 * 4);
    }

    /** Top-k classes as BYTES: each element a 4-byte little-endian length, then "score:index". */
    @Test
    void classificationAsBinaryBytes() throws Exception {
        float[] x = input(1);
        ObjectNode req = JSON.createObjectNode();
        ObjectNode params =
                req.putArray("outputs").addObject().put("name", "cls").putObject("parameters");
        params.put("classification", 2).put("binary_data", true);
        Reply r = call(binaryRequest("FP32", littleEndian(x), 1, req));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("outputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
        ByteBuffer b = ByteBuffer.wrap(
                        r.body(),
                        Integer.parseInt(r.headerLength()),
                        r.body().length - Integer.parseInt(r.headerLength()))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] p = reference.predict(x, 1, null).task("cls").values();
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        byte[] first = new byte[b.getInt()];
        b.get(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).endsWith(":" + best);
    }

    /** FP64 and INT32 inputs are converted to the model's float32 (documented in TensorData). */
    @Test
    void otherNumericTypesAreConverted() throws Exception {
        double[] d = new double[250];
        int[] ints = new int[250];
        float[] f = new float[250];
        for (int i = 0; i < 250; i++) {
            ints[i] = i % 7 - 3;
            d[i] = ints[i] * 0.5;
            f[i] = (float) d[i];
        }
        ByteBuffer b64 = ByteBuffer.allocate(8 * 250).order(ByteOrder.LITTLE_ENDIAN);
        b64.asDoubleBuffer().put(d);
        ByteBuffer b32 = ByteBuffer.allocate(4 * 250).order(ByteOrder.LITTLE_ENDIAN);
        b32.asIntBuffer().put(ints);
        float[] asInts = new float[250];
        for (int i = 0; i < 250; i++) {
            asInts[i] = ints[i];
        }
        Reply fromDouble = call(binaryRequest("FP64", b64.array(), 1, null));
        Reply fromInt = call(binaryRequest("INT32", b32.array(), 1, null));
        assertThat(first(fromDouble))
                .isEqualTo(reference.predict(f, 1, null).task("y1").values()[0]);
        assertThat(first(fromInt))
                .isEqualTo(reference.predict(asInts, 1, null).task("y1").values()[0]);
    }

    private static float first(Reply r) throws Exception {
        assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.json().get("outputs").get(0).get("data").get(0).floatValue();
    }

    /** A body that does not match what it declares is a 400 naming the mismatch, never a silent success. */
    @Test
    void bodiesThatDoNotMatchTheirLengthsAreRefused() throws Exception {
        byte[] raw = littleEndian(input(1));
        byte[][] ok = binaryRequest("FP32", raw, 1, null);
        int header = Integer.parseInt(new String(ok[1], StandardCharsets.UTF_8));
        Reply tooLong = send(ok[0], Integer.toString(ok[0].length + 1));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).contains("Inference-Header-Content-Length is '" + (ok[0].length + 1) + "'");
        Reply cut = send(java.util.Arrays.copyOf(ok[0], ok[0].length - 4), Integer.toString(header));
        assertThat(cut.status()).isEqualTo(400);
        assertThat(cut.error()).contains("binary_data_size is 1000 but the body holds only 996 bytes");
        byte[] extra = java.util.Arrays.copyOf(ok[0], ok[0].length + 8);
        Reply unclaimed = send(extra, Integer.toString(header));
        assertThat(unclaimed.status()).isEqualTo(400);
        assertThat(unclaimed.error())
                .isEqualTo("the body carries 8 bytes of binary data that no input claims" + " (binary_data_size)");
        Reply wrongSize = call(binaryRequest("FP32", java.util.Arrays.copyOf(raw, 996), 1, null));
        assertThat(wrongSize.status()).isEqualTo(400);
        assertThat(wrongSize.error()).contains("binary_data_size is 996; shape [1, 250] of FP32 takes 1000");
        Reply noHeader = send(ok[0], null); // a JSON body followed by bytes it does not explain
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.error()).startsWith("malformed JSON");
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}";
        Reply garbage = send((json + "garbage").getBytes(StandardCharsets.UTF_8), null);
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.error()).startsWith("malformed JSON");
    }
}
