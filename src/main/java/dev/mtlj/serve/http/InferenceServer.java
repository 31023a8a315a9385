package dev.mtlj.serve.http;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServerSecurity;
import dev.mtlj.serve.TlsMaterial;
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
    private static final long LINGER_MILLIS = 1_000;

    private final ModelRepository repository;
    private final ServerOptions options;
    private final RepositoryRoutes repositoryRoutes;
    private final Replies replies;
    private final BodyReader bodies;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private final String scheme;
    private volatile boolean accepting = true;
    private boolean closed;

    /** Starts listening at once; models loaded over HTTP get {@code loadOptions} (device) and the server's batching. */
    public InferenceServer(ModelRepository repository, ServerOptions options, PredictorOptions loadOptions) {
        this(repository, options, loadOptions, ServerSecurity.none());
    }

    /**
     * As above, with a bearer token and TLS: {@code /v2/repository/*} needs the token when one is set, every other route
     * but health too with {@link ServerSecurity#tokenForInference()}; with {@link ServerSecurity#tls()} the listener
     * speaks HTTPS only (and asks for a client certificate when a client CA is given).
     */
    public InferenceServer(
            ModelRepository repository, ServerOptions options, PredictorOptions loadOptions, ServerSecurity security) {
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
            // once draining, every response (503s and the answers of requests in flight) says Connection: close, so a
            // keep-alive client sends nothing more on a connection about to go
            x.addResponseCommitListener(ex -> {
                if (!accepting) {
                    ex.setPersistent(false);
                }
            });
            if (!accepting) { // before the graceful handler, whose own 503 has no body
                replies.fail(x, new OverloadedException("the server is shutting down"));
                return;
            }
            try {
                authenticate(security, x);
            } catch (dev.mtlj.UserInputException e) {
                x.setPersistent(false); // the body, if any, is not read
                replies.fail(x, e);
                return;
            }
            graceful.handleRequest(x);
        };
        Undertow.Builder builder = Undertow.builder();
        if (security.tls() == null) {
            builder.addHttpListener(options.port(), options.host());
        } else {
            TlsMaterial tls = TlsMaterial.read(security.tls());
            builder.addHttpsListener(options.port(), options.host(), tls.sslContext());
            if (!tls.clientCa().isEmpty()) {
                builder.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, org.xnio.SslClientAuthMode.REQUIRED);
            }
        }
        this.scheme = security.tls() == null ? "http" : "https";
        this.undertow = builder.setWorkerThreads(options.httpThreads())
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
        LOG.info("serving the Open Inference Protocol (v2) on {}://{}:{}", scheme, options.host(), port());
    }

    /** Health is open to all; the repository routes need the token; the rest when the token guards inference too. */
    private static void authenticate(ServerSecurity security, HttpServerExchange x) {
        String path = x.getRequestPath();
        if (path.startsWith("/v2/health/")) {
            return;
        }
        boolean control = path.startsWith("/v2/repository/");
        if (control || security.tokenForInference()) {
            security.authenticate(
                    x.getRequestHeaders().getFirst(Headers.AUTHORIZATION),
                    control ? "the model repository" : "this route");
        }
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
            // Keep-alive clients may have a request on the wire already: answer it (503, Connection: close) rather than
            // cut the connection under it.
            Thread.sleep(Math.min(LINGER_MILLIS, options.drainSeconds() * 1000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        repository.close();
        LOG.info("server stopped");
    }
}
