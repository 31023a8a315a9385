package dev.mtlj.bench;

import com.google.protobuf.ByteString;
import dev.mtlj.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.mtlj.serve.grpc.v2.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of {@code benchmarks/serve/compare}: the same closed-loop load (1, 8, 32 client threads, one example per
 * request) against mtlj (HTTP/JSON, HTTP with binary tensors, gRPC with raw contents) and TorchServe (its REST
 * predictions API, without and with its batching), all serving the same TorchScript model, interleaved round by round.
 * Each point: 200 warm-up requests, then {@code perPoint} requests (or 20 s); throughput and p50/p99 latency as the
 * client sees them.
 *
 * <p>Usage: {@code ServeCompare MTLJ_HTTP_PORT MTLJ_GRPC_PORT TORCHSERVE_PORT OUT.md [perPoint] [rounds]}.
 */
public final class ServeCompare {
    private static final int[] CLIENTS = {1, 8, 32};
    private static final List<String> VARIANTS =
            List.of("mtlj-json", "mtlj-binary", "mtlj-grpc", "torchserve", "torchserve-batched");

    record Point(double throughput, double p50, double p99, long errors) {}

    /** One request of one variant; returns false on an error answer. */
    @FunctionalInterface
    interface Call {
        boolean run() throws Exception;
    }

    private ServeCompare() {}

    public static void main(String[] args) throws Exception {
        int httpPort = Integer.parseInt(args[0]);
        int grpcPort = Integer.parseInt(args[1]);
        int tsPort = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        int perPoint = args.length > 4 ? Integer.parseInt(args[4]) : 3000;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        float[] x = new float[250];
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .usePlaintext()
                .build();
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("mtlj-json", json(http, "http://127.0.0.1:" + httpPort + "/v2/models/qs/infer", v2Json(x)));
        byte[][] binary = v2Binary(x);
        calls.put("mtlj-binary", binary(http, "http://127.0.0.1:" + httpPort + "/v2/models/qs/infer", binary));
        calls.put("mtlj-grpc", grpc(channel, x));
        String ts = "{\"inputs\": [" + Arrays.toString(x) + "]}";
        calls.put("torchserve", json(http, "http://127.0.0.1:" + tsPort + "/predictions/qs", ts));
        calls.put("torchserve-batched", json(http, "http://127.0.0.1:" + tsPort + "/predictions/qsb", ts));
        Map<String, List<Point>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int c : CLIENTS) {
                List<String> order = new ArrayList<>(VARIANTS);
                java.util.Collections.rotate(order, r + c);
                for (String v : order) {
                    Point p = load(calls.get(v), c, perPoint);
                    results.computeIfAbsent(v + " " + c, k -> new ArrayList<>()).add(p);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d %-19s %2d clients: %8.0f req/s p50 %6.2f ms p99 %6.2f ms errors %d%n",
                            r,
                            v,
                            c,
                            p.throughput(),
                            p.p50(),
                            p.p99(),
                            p.errors());
                }
            }
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        Files.writeString(out, table(results, perPoint, rounds));
        System.out.println("written to " + out);
        System.exit(0);
    }

    private static String v2Json(float[] x) {
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,250],\"data\":" + Arrays.toString(x)
                + "}]}";
    }

    /** Header and body of a binary request (binary input, binary outputs), as tritonclient sends it. */
    private static byte[][] v2Binary(float[] x) {
        String header = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,250],"
                + "\"parameters\":{\"binary_data_size\":1000}}],\"parameters\":{\"binary_data_output\":true}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(h.length + 1000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (float v : x) {
            b.putFloat(v);
        }
        return new byte[][] {b.array(), Integer.toString(h.length).getBytes(StandardCharsets.UTF_8)};
    }

    private static Call json(HttpClient http, String url, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return () -> http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
    }

    private static Call binary(HttpClient http, String url, byte[][] body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", new String(body[1], StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body[0]))
                .build();
        return () -> http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
    }

    private static Call grpc(ManagedChannel channel, float[] x) {
        ByteBuffer b = ByteBuffer.allocate(1000).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            b.putFloat(v);
        }
        ModelInferRequest req = ModelInferRequest.newBuilder()
                .setModelName("qs")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(1)
                        .addShape(250))
                .addRawInputContents(ByteString.copyFrom(b.array()))
                .build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
                GRPCInferenceServiceGrpc.newBlockingStub(channel);
        return () -> stub.modelInfer(req).getRawOutputContentsCount() == 4;
    }

    /** {@code clients} threads, each one request at a time: 200 warm-up requests, then {@code n} (or 20 s). */
    private static Point load(Call call, int clients, int n) throws InterruptedException {
        run(call, clients, 200, 20);
        return run(call, clients, n, 20);
    }

    private static Point run(Call call, int clients, int n, int seconds) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] latencies = new long[n];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            Thread th = new Thread(() -> {
                for (long i; (i = next.getAndIncrement()) < n && System.nanoTime() < deadline; ) {
                    long s = System.nanoTime();
                    boolean ok;
                    try {
                        ok = call.run();
                    } catch (Exception e) {
                        ok = false;
                    }
                    latencies[(int) i] = System.nanoTime() - s;
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int done = (int) Math.min(n, next.get());
        long[] l = Arrays.copyOf(latencies, done);
        Arrays.sort(l);
        return new Point(
                done / elapsed, l[done / 2] / 1e6, l[Math.min(done - 1, (int) (done * 0.99))] / 1e6, errors.get());
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String table(Map<String, List<Point>> results, int perPoint, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append("| variant | clients | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|\n");
        Map<String, Double> tput = new LinkedHashMap<>();
        Map<String, Double> p99 = new LinkedHashMap<>();
        for (int c : CLIENTS) {
            for (String v : VARIANTS) {
                List<Point> ps = results.get(v + " " + c);
                double t = median(ps.stream().map(Point::throughput).toList());
                double p50 = median(ps.stream().map(Point::p50).toList());
                double q99 = median(ps.stream().map(Point::p99).toList());
                long err = ps.stream().mapToLong(Point::errors).sum();
                tput.put(v + " " + c, t);
                p99.put(v + " " + c, q99);
                md.append(
                        String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |%n", v, c, t, p50, q99, err));
            }
        }
        md.append("\nRatios (throughput mtlj / TorchServe, p99 mtlj / TorchServe; each TorchServe configuration):\n\n")
                .append("| mtlj | clients | / torchserve req/s | p99 | / torchserve-batched req/s | p99 |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (int c : CLIENTS) {
            for (String v : List.of("mtlj-json", "mtlj-binary", "mtlj-grpc")) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.2f× | %.2f× | %.2f× | %.2f× |%n",
                        v,
                        c,
                        tput.get(v + " " + c) / tput.get("torchserve " + c),
                        p99.get(v + " " + c) / p99.get("torchserve " + c),
                        tput.get(v + " " + c) / tput.get("torchserve-batched " + c),
                        p99.get(v + " " + c) / p99.get("torchserve-batched " + c)));
            }
        }
        md.append(String.format(
                Locale.ROOT,
                "%nMedians over %d interleaved rounds; %d requests per point after 200 warm-up requests.%n",
                rounds,
                perPoint));
        return md.toString();
    }
}
