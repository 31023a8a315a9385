package dev.mtlj.cli;

import dev.mtlj.UserInputException;
import dev.mtlj.engine.Engine;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.ModelStore;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServerSecurity;
import dev.mtlj.serve.grpc.GrpcServer;
import dev.mtlj.serve.http.InferenceServer;
import dev.mtlj.serve.http.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mtlj serve [--model PATH]... [--model-repository DIR] [--port 8080] [--grpc-port 8081]}: the Open Inference
 * Protocol over HTTP and gRPC.
 */
@Command(
        name = "serve",
        header = "Serve models over HTTP and gRPC with the Open Inference Protocol (KServe v2).",
        mixinStandardHelpOptions = true,
        description = {
            "Serve trained models with the Open Inference Protocol (KServe v2) over HTTP (JSON and binary tensors) and"
                    + " gRPC, with dynamic batching, a model repository and Prometheus metrics (GET /metrics). Stops"
                    + " gracefully on SIGTERM/Ctrl-C, finishing requests in flight."
        })
final class ServeCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
    private static final Pattern MODEL =
            Pattern.compile("(?:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9][A-Za-z0-9_.-]*))?(\\*)?=)?(.+)");

    @Option(
            names = "--model",
            paramLabel = "[NAME[:VERSION][*]=]PATH",
            description = {
                "A run directory, .ckpt checkpoint or TorchScript .pt file (with its .json signature); repeatable."
                        + " NAME defaults to the directory or file name, VERSION to 1; '*' marks the default version."
            })
    List<String> models = new java.util.ArrayList<>();

    @Option(
            names = "--model-repository",
            paramLabel = "DIR",
            description = {
                "A model repository laid out as DIR/<model>/<version>/ (a run directory, a .ckpt, or a TorchScript .pt"
                        + " with its .json); every model in it is loaded at start, and model control loads and unloads"
                        + " by name."
            })
    Path repositoryDir;

    @Option(
            names = "--grpc-port",
            defaultValue = "8081",
            description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one, -1 turns gRPC off).")
    int grpcPort;

    @Option(
            names = "--body-timeout-s",
            defaultValue = "30",
            description = "Longest a request body may take to arrive (default: ${DEFAULT-VALUE}).")
    int bodySeconds;

    @Option(
            names = "--max-bodies-in-transit",
            defaultValue = "256",
            description = "Request bodies that may be arriving at once; more get a 503 (default: ${DEFAULT-VALUE}).")
    int bodiesInTransit;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "cpu, cuda[:N] or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "libtorch intra-op threads (0: one per core).")
    int threads;

    @Option(names = "--no-batching", description = "Run each request's forward pass alone, on its HTTP thread.")
    boolean noBatching;

    @Option(
            names = "--max-batch-size",
            defaultValue = "64",
            description = "Most examples per forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--max-wait-us",
            defaultValue = "2000",
            description = "Longest a request waits for a batch to fill, µs (default: ${DEFAULT-VALUE}).")
    long maxWaitMicros;

    @Option(
            names = "--queue",
            defaultValue = "1024",
            description =
                    "Requests queued (or, without batching, running) per model before 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "16777216",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(
            names = "--http-threads",
            defaultValue = "64",
            description = "HTTP worker threads (default: ${DEFAULT-VALUE}).")
    int httpThreads;

    @Option(
            names = "--drain-seconds",
            defaultValue = "30",
            description = "On shutdown, how long requests in flight may take (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--model-control", description = "Allow POST /v2/repository/models/{name}/load|unload.")
    boolean modelControl;

    @Option(
            names = {"-q", "--quiet"},
            description = "Warnings only.")
    boolean quiet;

    @Mixin
    UnsealedOption unsealed = new UnsealedOption();

    @Mixin
    SecurityOptions securityOptions = new SecurityOptions();

    @Override
    public Integer call() throws InterruptedException {
        unsealed.apply();
        Main.quiet(quiet);
        // gRPC logs through java.util.logging: route it to Logback, which keeps its warnings to one line each
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        if (models.isEmpty() && repositoryDir == null) {
            throw new UserInputException("serve needs --model PATH or --model-repository DIR");
        }
        if (grpcPort < -1 || grpcPort > 65535) {
            throw new UserInputException("gRPC port must be 0..65535, or -1 for none; got " + grpcPort);
        }
        ServerSecurity security = securityOptions.security();
        if (modelControl && security.token() == null && !SecurityOptions.loopback(host)) {
            throw new UserInputException("--model-control on " + host + " needs a bearer token (--auth-token-file FILE"
                    + " or MTLJ_AUTH_TOKEN): anyone who reaches the port could otherwise unload the models");
        }
        Engine.configureThreads(threads);
        ServerOptions serverOptions = new ServerOptions(
                host, port, maxBody, httpThreads, drainSeconds, modelControl, bodySeconds, bodiesInTransit);
        BatchingOptions batching = noBatching
                ? BatchingOptions.disabled(queue)
                : new BatchingOptions(true, maxBatch, maxWaitMicros, queue);
        PredictorOptions predictorOptions = new PredictorOptions(device, null);
        ModelRepository repository = new ModelRepository(repositoryDir == null ? null : new ModelStore(repositoryDir));
        InferenceServer server;
        GrpcServer grpc = null;
        try {
            for (String m : models) {
                Matcher mm = MODEL.matcher(m);
                mm.matches(); // always true: without a valid NAME= prefix, all of it is the path
                Path path = Path.of(mm.group(4));
                String name = mm.group(1) != null ? mm.group(1) : defaultName(path);
                repository.load(
                        name,
                        mm.group(2) != null ? mm.group(2) : "1",
                        path,
                        predictorOptions,
                        batching,
                        mm.group(3) != null);
                repository.pin(name);
            }
            if (repository.store() != null) {
                for (String name : repository.store().models()) {
                    try {
                        repository.loadFromStore(name, predictorOptions, batching);
                    } catch (RuntimeException e) {
                        LOG.warn("model {} from the repository is unavailable: {}", name, e.getMessage());
                    }
                }
            }
            server = new InferenceServer(repository, serverOptions, predictorOptions, security).loadBatching(batching);
            if (grpcPort >= 0) {
                grpc = new GrpcServer(
                        repository,
                        host,
                        grpcPort,
                        httpThreads,
                        (int) Math.min(Integer.MAX_VALUE, maxBody),
                        drainSeconds,
                        modelControl,
                        predictorOptions,
                        batching,
                        security);
            }
        } catch (RuntimeException e) {
            repository.close();
            throw e;
        }
        GrpcServer grpcServer = grpc;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (grpcServer != null) {
                                grpcServer.close();
                            }
                            server.close(); // frees the models after its own drain
                            stopped.countDown();
                        },
                        "serve-shutdown"));
        System.out.println("mtlj serve: " + (security.tls() == null ? "http" : "https") + "://" + host + ":"
                + server.port() + "/v2"
                + (grpcServer != null ? ", grpc " + host + ":" + grpcServer.port() : "") + " ("
                + repository.all().size() + " model version(s)); Ctrl-C stops");
        stopped.await();
        return 0;
    }

    private static String defaultName(Path path) {
        Path p = path.toAbsolutePath().normalize();
        String n = p.getFileName() == null ? "model" : p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        n = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0)) ? "model" + n : n;
    }
}
