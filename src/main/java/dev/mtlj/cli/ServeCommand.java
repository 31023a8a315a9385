package dev.mtlj.cli;

import dev.mtlj.engine.Engine;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.http.InferenceServer;
import dev.mtlj.serve.http.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlj serve --model PATH [--port 8080] [--host 127.0.0.1]}: the Open Inference Protocol over HTTP. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve trained models over HTTP with the Open Inference Protocol (KServe v2), dynamic batching and",
            "Prometheus metrics (GET /metrics). Stops gracefully on SIGTERM/Ctrl-C, finishing requests in flight."
        })
final class ServeCommand implements Callable<Integer> {
    private static final Pattern MODEL =
            Pattern.compile("(?:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9][A-Za-z0-9_.-]*))?(\\*)?=)?(.+)");

    @Option(
            names = "--model",
            required = true,
            paramLabel = "[NAME[:VERSION][*]=]PATH",
            description = {
                "A run directory, .ckpt checkpoint or TorchScript .pt file (with its .json signature); repeatable.",
                "NAME defaults to the directory or file name, VERSION to 1; '*' marks the default version."
            })
    List<String> models;

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

    @Override
    public Integer call() throws InterruptedException {
        Main.quiet(quiet);
        Engine.configureThreads(threads);
        ServerOptions serverOptions = new ServerOptions(host, port, maxBody, httpThreads, drainSeconds, modelControl);
        BatchingOptions batching = noBatching
                ? BatchingOptions.disabled(queue)
                : new BatchingOptions(true, maxBatch, maxWaitMicros, queue);
        PredictorOptions predictorOptions = new PredictorOptions(device, null);
        ModelRepository repository = new ModelRepository();
        InferenceServer server;
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
            }
            server = new InferenceServer(repository, serverOptions).loadBatching(batching);
        } catch (RuntimeException e) {
            repository.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "serve-shutdown"));
        System.out.println("mtlj serve: http://" + host + ":" + server.port() + "/v2 ("
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
