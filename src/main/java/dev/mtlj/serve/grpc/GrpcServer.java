package dev.mtlj.serve.grpc;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.PredictorOptions;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}), on grpc-java's Netty transport, on a
 * port of its own. It shares the {@link ModelRepository} (and so the predictors, batchers and metrics) with the HTTP
 * server; it does not own it. {@link #close()} stops taking calls, lets those in flight finish (up to the drain time),
 * then stops.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private final Server server;
    private final ExecutorService executor;
    private final int drainSeconds;
    private volatile boolean accepting = true;

    /**
     * Starts listening at once.
     *
     * @param threads       threads running calls (a call holds one while its batch runs)
     * @param maxMessage    largest request message, bytes
     * @param modelControl  whether the repository RPCs may load and unload models
     * @param loadOptions   device of models loaded over gRPC
     * @param loadBatching  batching of models loaded over gRPC
     */
    public GrpcServer(
            ModelRepository repository,
            String host,
            int port,
            int threads,
            int maxMessage,
            int drainSeconds,
            boolean modelControl,
            PredictorOptions loadOptions,
            BatchingOptions loadBatching) {
        this.drainSeconds = drainSeconds;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "grpc-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(executor)
                .maxInboundMessageSize(maxMessage)
                .handshakeTimeout(10, TimeUnit.SECONDS)
                .maxConnectionIdle(2, TimeUnit.MINUTES)
                .addService(new InferenceService(repository, () -> accepting, modelControl, loadOptions, loadBatching))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UserInputException("cannot listen for gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("serving the Open Inference Protocol (v2) over gRPC on {}:{}", host, port());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    /** Stops taking calls, waits up to the drain time for those in flight, then stops. Idempotent. */
    @Override
    public void close() {
        if (!accepting) {
            return;
        }
        accepting = false;
        server.shutdown();
        try {
            if (!server.awaitTermination(drainSeconds, TimeUnit.SECONDS)) {
                LOG.warn("gRPC calls still running after {} s; stopping anyway", drainSeconds);
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        executor.shutdownNow();
    }
}
