package dev.mtlj.serve.http;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import dev.mtlj.serve.PredictorOptions;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * An HTTP inference server speaking the Open Inference Protocol (KServe v2) with Triton's extensions, on Undertow.
 *
 * <p>Routes: {@code GET /v2} (server metadata), {@code /v2/health/live|ready}, {@code /v2/models/{name}[/versions/{v}]}
 * (metadata), {@code …/ready}, {@code …/config}, {@code …/stats} and {@code GET /v2/models/stats}, {@code POST
 * …/infer} (JSON or binary tensor data), {@code POST /v2/repository/index} and with model control {@code
 * /v2/repository/models/{name}/load|unload}, {@code GET /metrics} (Prometheus). Failures map to statuses in
 * {@link Replies}.
 *
 * <p>Slow clients cannot stall it: headers must arrive within 10 s, bodies are collected without a thread
 * ({@link BodyReader}) within {@link ServerOptions#bodySeconds()}, and only complete requests reach the worker threads.
 * {@link #close()} stops accepting (new requests get a JSON 503), lets requests in flight finish (up to the drain time),
 * then frees the models. Owns the repository it is given.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final int HEADER_MILLIS = 10_000;
    private static final int IDLE_MILLIS = 120_000;

    private final ModelRepository repository;
    private final ServerOptions options;
    private final RepositoryRoutes repositoryRoutes;
    private final Replies replies;
    private final BodyReader bodies;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private volatile boolean accepting = true;
    private boolean closed;

    /** Starts listening at once; models loaded over HTTP get {@code loadOptions} (device) and the server's batching. */
    public InferenceServer(ModelRepository repository, ServerOptions options, PredictorOptions loadOptions) {
        this.repository = repository;
        this.options = options;
        this.replies = new Replies(options.maxBodyBytes());
        this.bodies = new BodyReader(
                options.bodiesInTransit(), options.bodySeconds() * 1000L, options.maxBodyBytes(), replies::fail);
        ModelRoutes models = new ModelRoutes(repository, () -> accepting);
        InferRoute infer = new InferRoute(repository, () -> accepting, replies);
        this.repositoryRoutes = new RepositoryRoutes(repository, options.modelControl(), loadOptions);
        RoutingHandler routes = Handlers.routing()
                .get("/v2", worker(x -> Replies.json(x, 200, V2Json.serverMetadata())))
                .get("/v2/health/live", worker(x -> Replies.json(x, 200, V2Json.flag("live", true, null))))
                .get("/v2/health/ready", worker(x -> {
                    boolean ready = accepting && !repository.isEmpty();
                    Replies.json(x, ready ? 200 : 503, V2Json.flag("ready", ready, null));
                }))
                .get("/v2/models/stats", worker(models::stats))
                .get("/v2/models/{name}", worker(models::metadata))
                .get("/v2/models/{name}/versions/{version}", worker(models::metadata))
                .get("/v2/models/{name}/ready", worker(models::ready))
                .get("/v2/models/{name}/versions/{version}/ready", worker(models::ready))
                .get("/v2/models/{name}/config", worker(models::config))
                .get("/v2/models/{name}/versions/{version}/config", worker(models::config))
                .get("/v2/models/{name}/stats", worker(models::stats))
                .get("/v2/models/{name}/versions/{version}/stats", worker(models::stats))
                .post("/v2/models/{name}/infer", bodies.of(infer::infer))
                .post("/v2/models/{name}/versions/{version}/infer", bodies.of(infer::infer))
                .post("/v2/repository/index", bodies.of(repositoryRoutes::index))
                .post("/v2/repository/models/{name}/load", bodies.of(repositoryRoutes::load))
                .post("/v2/repository/models/{name}/unload", bodies.of(repositoryRoutes::unload))
                .get("/metrics", worker(this::metrics))
                .setFallbackHandler(x -> Replies.json(
                        x, 404, V2Json.error("no route " + x.getRequestMethod() + " " + x.getRequestPath())))
                .setInvalidMethodHandler(x -> Replies.json(
                        x,
                        405,
                        V2Json.error("method " + x.getRequestMethod() + " is not allowed on " + x.getRequestPath())));
        HttpHandler guarded = x -> {
            try {
                routes.handleRequest(x);
            } catch (Exception e) {
                replies.fail(x, e);
            }
        };
        this.graceful = Handlers.gracefulShutdown(guarded);
        HttpHandler front = x -> {
            if (!accepting) { // before the graceful handler, whose own 503 has no body
                replies.fail(x, new OverloadedException("the server is shutting down"));
                return;
            }
            graceful.handleRequest(x);
        };
        this.undertow = Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setWorkerThreads(options.httpThreads())
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L) // BodyReader enforces the limit, answering 413
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, HEADER_MILLIS)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_MILLIS)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(front)
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

    /** A server whose HTTP loads use the default predictor options. */
    public InferenceServer(ModelRepository repository, ServerOptions options) {
        this(repository, options, PredictorOptions.defaults());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Request bodies being received now (for tests and diagnostics). */
    int bodiesInTransit() {
        return bodies.inTransit();
    }

    /** The batching settings models loaded over HTTP get. */
    public InferenceServer loadBatching(BatchingOptions b) {
        repositoryRoutes.batching(b);
        return this;
    }

    /** Runs {@code h} on a worker thread (it may wait on the repository), with failures mapped. */
    private HttpHandler worker(HttpHandler h) {
        HttpHandler safe = x -> {
            try {
                h.handleRequest(x);
            } catch (Exception e) {
                replies.fail(x, e);
            }
        };
        return x -> {
            if (x.isInIoThread()) {
                x.dispatch(safe);
                return;
            }
            safe.handleRequest(x);
        };
    }

    private void metrics(HttpServerExchange x) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        repository.metrics().write(out);
        x.setStatusCode(200);
        x.getResponseHeaders().put(Headers.CONTENT_TYPE, dev.mtlj.serve.ServingMetrics.contentType());
        x.getResponseSender().send(ByteBuffer.wrap(out.toByteArray()));
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
}
