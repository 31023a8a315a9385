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
        Socket s = new Socket("127.0.0.1", port);
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
            drip(5000);
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

    /** Over the cap of bodies in transit, a new one gets a 503 with a JSON error at once. */
    @Test
    void tooManyBodiesInTransitGetA503() throws Exception {
        start(60, 100);
        for (int i = 0; i < 100; i++) {
            drip(5000);
        }
        for (int i = 0; i < 3000 && server.bodiesInTransit() < 100; i++) {
            Thread.sleep(10); // until the server has read all hundred requests' headers
        }
        assertThat(server.bodiesInTransit()).isEqualTo(100);
        Socket extra = drip(5000);
        assertThat(statusLine(extra)).isEqualTo("HTTP/1.1 503 Service Unavailable");
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
}
