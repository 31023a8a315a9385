package dev.mtlj.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark of {@code mtlj serve}: three server processes on 127.0.0.1, with dynamic batching (defaults: up
 * to 64 examples, 2 ms wait), with batching but no wait, and with {@code --no-batching}, each serving the quickstart MLP ({@code qs}, 250
 * inputs, 4 tasks) and the Multi-Fashion CNN ({@code cnn}, 1×28×28, 2 tasks). Closed-loop clients (1, 8, 32 threads,
 * one request of one example at a time each, JDK HttpClient over keep-alive HTTP/1.1) send a fixed number of
 * requests per point (with a time cap); points are interleaved on/off within each round, and rounds repeat. Then a
 * soak: 200,000 requests at 32 clients to the batching server, its resident memory sampled every 10,000 requests.
 *
 * <p>Usage: {@code benchmarks/java ServeLoad QS_RUN CNN_RUN [requests-per-point] [rounds] [soak-requests]}; writes
 * {@code benchmarks/results/<date>-serve-load.md}. Client and servers share the machine's cores.
 */
public final class ServeLoad {
    private static final int[] CLIENTS = {1, 8, 32};
    private static final int PORT_ON = 18181;
    private static final int PORT_OFF = 18182;
    private static final int PORT_NOWAIT = 18183;
    private static final double TICKS = 100; // USER_HZ on Linux
    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static long pidOn;
    private static long pidOff;
    private static long pidNoWait;
    private static final List<String> MODES = List.of("on", "on-nowait", "off");
    private static final Map<String, Integer> PORTS = Map.of("on", PORT_ON, "on-nowait", PORT_NOWAIT, "off", PORT_OFF);

    record Point(double throughput, double p50Ms, double p99Ms, long errors, double serverCpuUs, double clientCpuUs) {}

    public static void main(String[] args) throws Exception {
        String qs = args[0];
        String cnn = args[1];
        int perPoint = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int soak = args.length > 4 ? Integer.parseInt(args[4]) : 200_000;
        Process on = start(PORT_ON, qs, cnn, List.of());
        Process off = start(PORT_OFF, qs, cnn, List.of("--no-batching"));
        Process noWait = start(PORT_NOWAIT, qs, cnn, List.of("--max-wait-us", "0"));
        pidOn = on.pid();
        pidOff = off.pid();
        pidNoWait = noWait.pid();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> { // also when this JVM is interrupted
                            on.destroy();
                            off.destroy();
                            noWait.destroy();
                        }));
        try {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            awaitReady(client, PORT_ON);
            awaitReady(client, PORT_OFF);
            awaitReady(client, PORT_NOWAIT);
            Map<String, Integer> sizes = Map.of("qs", 250, "cnn", 784);
            for (String model : List.of("qs", "cnn")) { // warm-up: JIT, allocator, connection pools
                for (int port : PORTS.values()) {
                    load(client, port, model, sizes.get(model), 8, 2000, 60);
                }
            }
            Map<String, List<Point>> results = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (String model : List.of("qs", "cnn")) {
                    for (int c : CLIENTS) {
                        for (String mode : MODES) {
                            int n = model.equals("cnn") ? perPoint / 2 : perPoint;
                            Point p = load(client, PORTS.get(mode), model, sizes.get(model), c, n, 60);
                            String key = model + "|" + c + "|" + mode;
                            results.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                            System.out.printf(
                                    Locale.ROOT,
                                    "round %d %-12s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d"
                                            + "  cpu/request: server %4.0f us, client %4.0f us%n",
                                    r + 1,
                                    key,
                                    p.throughput(),
                                    p.p50Ms(),
                                    p.p99Ms(),
                                    p.errors(),
                                    p.serverCpuUs(),
                                    p.clientCpuUs());
                        }
                    }
                }
            }
            String soakTable = soak(client, on.pid(), sizes.get("qs"), soak);
            write(results, soakTable, qs, cnn, perPoint, rounds, on.pid(), off.pid());
        } finally {
            for (Process p : List.of(on, off, noWait)) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static Process start(int port, String qs, String cnn, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "./mtlj",
                "serve",
                "--model",
                "qs=" + qs,
                "--model",
                "cnn=" + cnn,
                "--port",
                Integer.toString(port),
                "--threads",
                "1",
                "--device",
                "cpu",
                "-q"));
        cmd.addAll(extra);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        Path.of("benchmarks/target/serve-" + port + ".log").toFile())
                .start();
    }

    private static void awaitReady(HttpClient client, int port) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "server on port " + port + " did not become ready; see benchmarks/target/serve-" + port + ".log");
    }

    private static byte[] body(int size, long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,");
        sb.append(size).append("],\"data\":[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", rnd.nextGaussian()));
        }
        return sb.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code total} requests from {@code clients} closed-loop threads (or until {@code capSeconds}). */
    static Point load(HttpClient client, int port, String model, int size, int clients, int total, int capSeconds)
            throws InterruptedException, IOException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/infer");
        int each = Math.max(1, total / clients);
        long[][] lat = new long[clients][each];
        int[] done = new int[clients];
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + capSeconds * 1_000_000_000L;
        Thread[] threads = new Thread[clients];
        long pid = port == PORT_ON ? pidOn : port == PORT_OFF ? pidOff : pidNoWait;
        long serverCpu0 = cpuTicks(pid);
        long clientCpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                byte[][] bodies = {body(size, 7L * id), body(size, 7L * id + 1), body(size, 7L * id + 2)};
                for (int k = 0; k < each && System.nanoTime() < deadline; k++) {
                    HttpRequest req = HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[k % 3]))
                            .build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                    lat[id][k] = System.nanoTime() - s;
                    done[id] = k + 1;
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = Arrays.stream(done).sum();
        double serverUs = (cpuTicks(pid) - serverCpu0) * 1e6 / TICKS / n;
        double clientUs = (OS.getProcessCpuTime() - clientCpu0) / 1e3 / n;
        long[] all = new long[n];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(lat[c], 0, all, at, done[c]);
            at += done[c];
        }
        Arrays.sort(all);
        return new Point(
                n / seconds,
                all[(int) (0.50 * (n - 1))] / 1e6,
                all[(int) (0.99 * (n - 1))] / 1e6,
                errors.get(),
                serverUs,
                clientUs);
    }

    /** Resident memory of the batching server over {@code total} requests at 32 clients. */
    private static String soak(HttpClient client, long pid, int size, int total) throws Exception {
        StringBuilder md =
                new StringBuilder("| requests | server VmRSS (MiB) | req/s in the chunk |\n|---:|---:|---:|\n");
        int chunk = 10_000;
        long firstAfterWarmup = -1;
        long last = 0;
        for (int done = 0; done < total; done += chunk) {
            Point p = load(client, PORT_ON, "qs", size, 32, chunk, 600);
            long rss = rssKib(pid);
            if (done + chunk == 20_000) {
                firstAfterWarmup = rss;
            }
            last = rss;
            md.append(
                    String.format(Locale.ROOT, "| %,d | %.1f | %.0f |%n", done + chunk, rss / 1024.0, p.throughput()));
            System.out.printf(
                    Locale.ROOT,
                    "soak %,d requests: VmRSS %.1f MiB, %.0f req/s, errors %d%n",
                    done + chunk,
                    rss / 1024.0,
                    p.throughput(),
                    p.errors());
        }
        md.append(String.format(
                Locale.ROOT,
                "%nGrowth from 20,000 requests (after warm-up) to %,d: %+.2f%%.%n",
                total,
                100.0 * (last - firstAfterWarmup) / firstAfterWarmup));
        return md.toString();
    }

    /** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static void write(
            Map<String, List<Point>> results,
            String soak,
            String qs,
            String cnn,
            int perPoint,
            int rounds,
            long pidOn,
            long pidOff)
            throws IOException {
        StringBuilder md = new StringBuilder("# Serving load: dynamic batching on vs off\n\n");
        md.append("Command: `benchmarks/java ServeLoad ")
                .append(qs)
                .append(' ')
                .append(cnn)
                .append(' ')
                .append(perPoint)
                .append(' ')
                .append(rounds)
                .append("`\n\n")
                .append(Machine.describe())
                .append("\n\n")
                .append(
                        "Three `mtlj serve` processes (`--threads 1 --device cpu`; one with the default batching: max 64 examples,"
                                + " 2 ms wait; one with `--max-wait-us 0`, `on-nowait`: a batch is whatever queued while the last one ran; one with"
                                + " `--no-batching`), each serving `qs` (quickstart MLP, 250 inputs, 4 task heads) and"
                                + " `cnn` (Multi-Fashion CNN, 1×28×28, 2 heads). Closed-loop clients send one example per request"
                                + " (JDK HttpClient, HTTP/1.1 keep-alive) on the same 2-core machine, so client and server share the"
                                + " cores. " + perPoint + " requests per point (cnn: " + perPoint / 2
                                + "), on/off interleaved in each of "
                                + rounds
                                + " rounds; medians over rounds (p50/p99: median of the rounds' percentiles).\n\n");
        md.append(
                        "| model | clients | batching | req/s | p50 ms | p99 ms | errors | server CPU µs/req | client CPU µs/req |"
                                + " on/off throughput |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : List.of("qs", "cnn")) {
            for (int c : CLIENTS) {
                double onTp = 0;
                double noWaitTp = 0;
                for (String mode : MODES) {
                    List<Point> ps = results.get(model + "|" + c + "|" + mode);
                    double tp = median(ps.stream().map(Point::throughput).toList());
                    String ratio = "";
                    if (mode.equals("on")) {
                        onTp = tp;
                    } else if (mode.equals("on-nowait")) {
                        noWaitTp = tp;
                    } else {
                        ratio = String.format(Locale.ROOT, "%.2f× (no wait: %.2f×)", onTp / tp, noWaitTp / tp);
                    }
                    md.append(String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %.0f | %.2f | %.2f | %d | %.0f | %.0f | %s |%n",
                            model,
                            c,
                            mode,
                            tp,
                            median(ps.stream().map(Point::p50Ms).toList()),
                            median(ps.stream().map(Point::p99Ms).toList()),
                            ps.stream().mapToLong(Point::errors).sum(),
                            median(ps.stream().map(Point::serverCpuUs).toList()),
                            median(ps.stream().map(Point::clientCpuUs).toList()),
                            ratio));
                }
            }
        }
        md.append("\n## Resident memory over the soak (batching server, qs, 32 clients)\n\n")
                .append(soak);
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-serve-load.md");
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out);
    }
}
