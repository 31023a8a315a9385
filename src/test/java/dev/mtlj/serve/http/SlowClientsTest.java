package dev.mtlj.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServedRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on the wire: bodies dripped a byte at a time, too many slow bodies at once, chunked bodies
 * over the limit, broken chunk framing. Before, 80 dripping connections held every worker thread and stalled every
 * other request (for up to 28 s in a user's test).
 */
class SlowClientsTest {
    private static final String INFER = "/v2/models/toy/infer";
    private InferenceServer server;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    /** 8 worker threads, 64 KiB bodies, {@code seconds} for a body to arrive, at most {@code inTransit} at once. */
    private void start(int seconds, int inTransit) {
        ModelRepository repo = new ModelRepository();
        repo.load(
                "toy",
                "1",
                ServedRun.dir(),
                PredictorOptions.defaults().withDevice("cpu"),
                BatchingOptions.defaults(),
                true);
        server = new InferenceServer(
                repo, new ServerOptions("127.0.0.1", 0, 64 * 1024, 8, 5, false, seconds, inTransit));
        port = server.port();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
    }

    /** Headers of a POST promising {@code length} body bytes, and the first of them. */
    private Socket drip(int length) throws IOException {
        return drip(length, "127.0.0.1");
    }

    /** As above, from a client address of the loopback network (all of 127.0.0.0/8 reaches the server). */
    private Socket drip(int length, String from) throws IOException {
        Socket s =
                new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, java.net.InetAddress.getByName(from), 0);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("POST " + INFER + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + length + "\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static String statusLine(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private String infer() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            data.append(i == 0 ? "" : ",").append(i % 5);
        }
        String body =
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,250],\"data\":[" + data + "]}]}";
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + INFER))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /**
     * 80 connections sit mid-body (ten times the 8 worker threads): a normal request is still answered, because a
     * body in transit holds no thread. (Without that it would wait behind them until their deadline.)
     */
    @Test
    void drippingBodiesDoNotHoldWorkerThreads() throws Exception {
        start(60, 256);
        for (int i = 0; i < 80; i++) {
            drip(5000, "127.0.0." + (20 + i / 10)); // ten clients: one alone may hold only 32
        }
        assertThat(infer()).startsWith("200 ");
        assertThat(server.port()).isPositive();
    }

    /** A body that does not arrive within the deadline loses its connection (and its place in transit). */
    @Test
    void aBodyPastItsDeadlineIsCutOff() throws Exception {
        start(1, 256);
        Socket s = drip(5000);
        s.setSoTimeout(30_000);
        assertThat(s.getInputStream().read())
                .as("the server closes the connection")
                .isEqualTo(-1);
        assertThat(infer()).startsWith("200 ");
    }

    /** Over the cap of bodies in transit, a new one gets a 503 with a JSON error at once (ten clients, ten each). */
    @Test
    void tooManyBodiesInTransitGetA503() throws Exception {
        start(60, 100);
        for (int i = 0; i < 100; i++) {
            drip(5000, "127.0.0." + (10 + i / 10));
        }
        for (int i = 0; i < 3000 && server.bodiesInTransit() < 100; i++) {
            Thread.sleep(10); // until the server has read all hundred requests' headers
        }
        assertThat(server.bodiesInTransit()).isEqualTo(100);
        Socket extra = drip(5000, "127.0.0.99");
        assertThat(statusLine(extra)).isEqualTo("HTTP/1.1 503 Service Unavailable");
    }

    /**
     * One client holding 256 dripping bodies (the probe's defect 5: the cap was global, so everyone else got 503s for up
     * to 30 s): it gets an eighth of the cap (32 here) and 503s beyond, and a request from another address is answered.
     */
    @Test
    void oneClientCannotLockOthersOut() throws Exception {
        start(60, 256);
        List<Socket> mine = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            mine.add(drip(5000, "127.0.0.7"));
        }
        List<Socket> answered = new ArrayList<>();
        for (int i = 0; i < 3000 && answered.size() < 224; i++) {
            Thread.sleep(10); // until every socket beyond the first 32 admitted has its answer (any 224 of them)
            answered.clear();
            for (Socket s : mine) {
                if (s.getInputStream().available() > 0) {
                    answered.add(s);
                }
            }
        }
        int refused = 0;
        for (Socket s : answered) {
            refused += "HTTP/1.1 503 Service Unavailable".equals(statusLine(s)) ? 1 : 0;
        }
        assertThat(refused).isEqualTo(224);
        assertThat(server.bodiesInTransit()).isEqualTo(32);
        assertThat(infer()).startsWith("200 ");
    }

    /** A chunked body over the size limit is a 413, like a declared one. */
    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        start(60, 256);
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[70 * 1024]; // one chunk past the 64 KiB limit, then wait for the answer
        java.util.Arrays.fill(chunk, (byte) ' ');
        out.write(("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(chunk.length) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.flush();
        assertThat(statusLine(s)).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }

    /**
     * Broken framing is a 400 with one log line (a bad or doubled Content-Length, a bad chunk ending, both a length and
     * chunking); an unreadable chunk size closes the connection (Undertow gives no hook to answer it) — neither a
     * stack trace nor a hang — and the server serves on.
     */
    @Test
    void brokenFramingIs400() throws Exception {
        start(60, 256);
        String post = "POST " + INFER + " HTTP/1.1\r\nHost: x\r\n";
        for (String r : new String[] {
            post + "Content-Length: abc\r\n\r\n{}",
            post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX\r\n0\r\n\r\n",
            post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
        }) {
            assertThat(exchange(r)).as(r).isEqualTo("HTTP/1.1 400 Bad Request");
        }
        assertThat(exchange(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"))
                .isNull();
        assertThat(infer()).startsWith("200 ");
    }

    /** Sends raw bytes on a new connection and returns the status line (null: closed without one). */
    private String exchange(String raw) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return statusLine(s);
    }

    /**
     * Shutdown under 32 keep-alive clients sending back to back (the probe's defect 6: 32 requests sent never got a
     * reply, and drain-time 503s had no {@code Connection: close}): every request a client wrote gets a whole response,
     * and each client's last one — the drain's 503, or the answer of a request in flight as it began — says
     * {@code Connection: close}, so no client writes to a connection about to go.
     */
    @Test
    void shutdownAnswersEveryRequestOnKeepAliveConnections() throws Exception {
        start(60, 256);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            data.append(i == 0 ? "" : ",").append(i % 5);
        }
        byte[] body = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,250],\"data\":[" + data
                        + "]}]}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = ("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n" + new String(body, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        int clients = 32;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<String>> ends = new ArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            ends.add(pool.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(30_000);
                    java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                    int sent = 0;
                    while (true) {
                        s.getOutputStream().write(request);
                        s.getOutputStream().flush();
                        sent++;
                        if (sent == 1) {
                            started.countDown();
                        }
                        java.util.Map<String, String> head = response(in);
                        if (head == null) {
                            return "request " + sent + " got no response";
                        }
                        String status = head.get("");
                        boolean close = "close".equalsIgnoreCase(head.get("connection"));
                        if (status.contains(" 503 ")) {
                            return close ? "answered, closed" : "503 without Connection: close";
                        }
                        if (!status.contains(" 200 ")) {
                            return status;
                        }
                        if (close) { // an answer that was in flight as the drain began
                            return "answered, closed";
                        }
                    }
                }
            }));
        }
        assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        server.close();
        for (java.util.concurrent.Future<String> end : ends) {
            assertThat(end.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("answered, closed");
        }
        pool.shutdown();
    }

    /** Reads one response: its headers (lower-case names; the status line under "") and body; null at end of stream. */
    private static java.util.Map<String, String> response(java.io.InputStream in) throws IOException {
        java.util.Map<String, String> head = new java.util.HashMap<>();
        String line = line(in);
        if (line == null) {
            return null;
        }
        head.put("", line);
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            head.put(
                    line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        long length = Long.parseLong(head.getOrDefault("content-length", "0"));
        for (long i = 0; i < length; i++) {
            if (in.read() < 0) {
                return null;
            }
        }
        return head;
    }

    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return c < 0 && b.length() == 0 ? null : b.toString();
    }
}
