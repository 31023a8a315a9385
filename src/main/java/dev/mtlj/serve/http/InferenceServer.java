package dev.mtlj.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.PredictorOptions;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * An HTTP/JSON inference server speaking the Open Inference Protocol (KServe v2), on Undertow.
 *
 * <p>Endpoints: {@code GET /v2}, {@code /v2/health/live}, {@code /v2/health/ready}, {@code /v2/models/{name}[/versions/{v}]}
 * (metadata), {@code /v2/models/{name}[/versions/{v}]/ready}, {@code POST /v2/models/{name}[/versions/{v}]/infer},
 * {@code GET /metrics} (Prometheus), and with model control {@code POST /v2/repository/index} and
 * {@code /v2/repository/models/{name}/load|unload}. Errors are {@code {"error": "..."}} with 400 (bad request), 404
 * (no such model or route), 405, 413 (body too large) or 503 (overloaded, not ready, shutting down: only the server's own
 * {@link OverloadedException}); a 500 says only
 * "internal error" and the stack trace goes to the log. {@link #close()} stops accepting, lets requests in flight
 * finish (up to the drain time), then frees the models. Owns the repository it is given.
 *
 * <p>Over 300 lines because routing, the status mapping and the drain share the exchange handling and the server's
 * state (accepting, in-flight count); the route bodies themselves are short.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRepository repository;
    private final ServerOptions options;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private volatile boolean accepting = true;
    private volatile BatchingOptions loadBatching = BatchingOptions.defaults();
    private boolean closed;

    /** Starts listening at once. */
    public InferenceServer(ModelRepository repository, ServerOptions options) {
        this.repository = repository;
        this.options = options;
        RoutingHandler routes = Handlers.routing()
                .get(
                        "/v2",
                        x -> send(x, 200, V2Json.write(g -> {
                            g.writeStartObject();
                            g.writeStringField("name", "mtlj");
                            g.writeStringField("version", "0.1.0");
                            g.writeArrayFieldStart("extensions");
                            g.writeString("classification");
                            g.writeString("model_repository");
                            g.writeEndArray();
                            g.writeEndObject();
                        })))
                .get("/v2/health/live", x -> send(x, 200, V2Json.flag("live", true, null)))
                .get("/v2/health/ready", x -> {
                    boolean ready = accepting && !repository.isEmpty();
                    send(x, ready ? 200 : 503, V2Json.flag("ready", ready, null));
                })
                .get("/v2/models/{name}", this::metadata)
                .get("/v2/models/{name}/versions/{version}", this::metadata)
                .get("/v2/models/{name}/ready", this::modelReady)
                .get("/v2/models/{name}/versions/{version}/ready", this::modelReady)
                .post("/v2/models/{name}/infer", this::infer)
                .post("/v2/models/{name}/versions/{version}/infer", this::infer)
                .post("/v2/repository/index", this::index)
                .post("/v2/repository/models/{name}/load", this::load)
                .post("/v2/repository/models/{name}/unload", this::unload)
                .get("/metrics", this::metrics)
                .setFallbackHandler(
                        x -> send(x, 404, V2Json.error("no route " + x.getRequestMethod() + " " + x.getRequestPath())))
                .setInvalidMethodHandler(x -> send(
                        x,
                        405,
                        V2Json.error("method " + x.getRequestMethod() + " is not allowed on " + x.getRequestPath())));
        HttpHandler guarded = x -> {
            try {
                routes.handleRequest(x);
            } catch (Exception e) {
                fail(x, e);
            }
        };
        this.graceful = Handlers.gracefulShutdown(new BlockingHandler(guarded));
        this.undertow = Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setWorkerThreads(options.httpThreads())
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, options.maxBodyBytes())
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(graceful)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new UserInputException(
                    "cannot listen on " + options.host() + ":" + options.port() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    e);
        }
        LOG.info("serving the Open Inference Protocol (v2) on http://{}:{}", options.host(), port());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    private void metadata(HttpServerExchange x) {
        ModelRepository.Served s = repository.get(param(x, "name"), param(x, "version"));
        send(x, 200, V2Json.metadata(s, repository.versionsOf(s.name())));
    }

    private void modelReady(HttpServerExchange x) {
        ModelRepository.Served s = repository.get(param(x, "name"), param(x, "version"));
        send(x, accepting ? 200 : 503, V2Json.flag("ready", accepting, s.name()));
    }

    private void infer(HttpServerExchange x) throws IOException {
        long t0 = System.nanoTime();
        String name = param(x, "name");
        String version = param(x, "version");
        ModelRepository.Served s = null;
        int status = 500;
        try {
            s = repository.get(name, version);
            if (!accepting) {
                throw new OverloadedException("the server is shutting down");
            }
            InferRequest req = InferRequest.parse(readJson(x), s.predictor().signature());
            Predictions p = await(s.dispatcher()
                    .submit(
                            req.flat(),
                            req.rows(),
                            req.outputs().isEmpty() ? null : req.outputs().keySet()));
            status = 200;
            send(x, 200, V2Json.infer(s, req.id(), p, req.outputs()));
        } catch (Exception e) {
            status = fail(x, e);
        } finally {
            repository
                    .metrics()
                    .request(
                            s == null ? "" : s.name(),
                            s == null ? "" : s.version(),
                            status,
                            (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Predictions await(java.util.concurrent.CompletableFuture<Predictions> f)
            throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new CompletionException(c);
        }
    }

    private void index(HttpServerExchange x) {
        requireModelControl();
        send(x, 200, V2Json.write(g -> {
            g.writeStartArray();
            for (ModelRepository.Served s : repository.all()) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeStringField("version", s.version());
                g.writeStringField("state", "READY");
                g.writeEndObject();
            }
            g.writeEndArray();
        }));
    }

    /** Body {@code {"parameters": {"path": ..., "version": "1", "default": true}}}; batching as the server's defaults. */
    private void load(HttpServerExchange x) throws IOException {
        requireModelControl();
        JsonNode params = readJson(x).path("parameters");
        if (!params.path("path").isTextual()) {
            throw new UserInputException(
                    "parameters.path (the run directory, checkpoint or TorchScript file) is required");
        }
        String version = params.path("version").asText("1");
        repository.load(
                param(x, "name"),
                version,
                Path.of(params.get("path").asText()),
                new PredictorOptions(params.path("device").asText("auto"), null),
                loadBatching,
                params.path("default").asBoolean(false));
        send(x, 200, V2Json.flag("loaded", true, param(x, "name")));
    }

    private void unload(HttpServerExchange x) throws IOException {
        requireModelControl();
        JsonNode body = x.getRequestContentLength() == 0 ? JSON.createObjectNode() : readJson(x);
        JsonNode v = body.path("parameters").path("version");
        repository.unload(param(x, "name"), v.isTextual() ? v.asText() : null);
        send(x, 200, V2Json.flag("unloaded", true, param(x, "name")));
    }

    /** The batching settings models loaded over HTTP get. */
    public InferenceServer loadBatching(BatchingOptions b) {
        this.loadBatching = b;
        return this;
    }

    private void requireModelControl() {
        if (!options.modelControl()) {
            throw new Forbidden("model control is off; start the server with model control (--model-control) to load or"
                    + " unload models over HTTP");
        }
    }

    private void metrics(HttpServerExchange x) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        repository.metrics().write(out);
        x.setStatusCode(200);
        x.getResponseHeaders().put(Headers.CONTENT_TYPE, dev.mtlj.serve.ServingMetrics.contentType());
        x.getResponseSender().send(ByteBuffer.wrap(out.toByteArray()));
    }

    private JsonNode readJson(HttpServerExchange x) throws IOException {
        if (x.getRequestContentLength() > options.maxBodyBytes()) {
            throw new RequestTooBigException();
        }
        byte[] body = x.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw new UserInputException("the request body is empty; send a JSON object");
        }
        return JSON.readTree(body);
    }

    private static String param(HttpServerExchange x, String key) {
        Deque<String> v = x.getQueryParameters().get(key);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** Maps a failure to its status and JSON error; returns the status. */
    private int fail(HttpServerExchange x, Exception e) {
        int status;
        String message;
        if (e instanceof ModelRepository.NotFoundException) {
            status = 404;
            message = e.getMessage();
        } else if (e instanceof Forbidden) {
            status = 403;
            message = e.getMessage();
        } else if (e instanceof UserInputException) {
            status = 400;
            message = e.getMessage();
        } else if (e instanceof JsonProcessingException j) {
            status = 400;
            String m = j.getOriginalMessage();
            int cut = m.indexOf(" (start marker");
            message = "malformed JSON"
                    + (j.getLocation() == null
                            ? ""
                            : " at line " + j.getLocation().getLineNr() + ", column "
                                    + j.getLocation().getColumnNr())
                    + ": " + (cut > 0 ? m.substring(0, cut) : m);
        } else if (e instanceof RequestTooBigException || e.getCause() instanceof RequestTooBigException) {
            status = 413;
            message = "the request body is larger than " + options.maxBodyBytes() + " bytes";
        } else if (e instanceof OverloadedException) {
            status = 503; // full queue, or the server or this model is shutting down
            message = e.getMessage();
            x.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        } else {
            status = 500;
            message = "internal error; see the server log";
            LOG.error("request {} {} failed", x.getRequestMethod(), x.getRequestPath(), e);
        }
        if (!x.isResponseStarted()) {
            if (status == 413) {
                x.setPersistent(false); // the rest of the body was not read
            }
            send(x, status, V2Json.error(message));
        }
        return status;
    }

    private static void send(HttpServerExchange x, int status, byte[] json) {
        x.setStatusCode(status);
        x.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        x.getResponseSender().send(ByteBuffer.wrap(json));
    }

    /**
     * Stops taking requests (readiness turns 503 at once), waits up to the drain time for those in flight, stops the
     * listener and frees the models. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        accepting = false;
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(options.drainSeconds() * 1000L)) {
                LOG.warn("requests still running after {} s; stopping anyway", options.drainSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        repository.close();
        LOG.info("server stopped");
    }

    /** Model control is off (HTTP 403). */
    static final class Forbidden extends UserInputException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }
}
