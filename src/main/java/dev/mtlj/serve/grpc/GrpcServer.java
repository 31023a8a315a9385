package dev.mtlj.serve.grpc;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServerSecurity;
import dev.mtlj.serve.TlsMaterial;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
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
     * @param security      the bearer token (the repository RPCs always need it when set; every RPC but the health
     *                      ones too with {@link ServerSecurity#tokenForInference()}) and TLS (with client certificates
     *                      when a client CA is given)
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
            BatchingOptions loadBatching,
            ServerSecurity security) {
        this.drainSeconds = drainSeconds;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "grpc-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
        if (security.tls() != null) {
            builder.sslContext(sslContext(TlsMaterial.read(security.tls())));
        }
        this.server = builder.executor(executor)
                .maxInboundMessageSize(maxMessage)
                .handshakeTimeout(10, TimeUnit.SECONDS)
                .maxConnectionIdle(2, TimeUnit.MINUTES)
                .addService(ServerInterceptors.intercept(
                        new InferenceService(repository, () -> accepting, modelControl, loadOptions, loadBatching),
                        new TokenCheck(security)))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UserInputException("cannot listen for gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("serving the Open Inference Protocol (v2) over gRPC on {}:{}", host, port());
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(TlsMaterial tls) {
        try {
            var b = GrpcSslContexts.configure(
                    SslContextBuilder.forServer(tls.key(), tls.chain().toArray(new X509Certificate[0])));
            if (!tls.clientCa().isEmpty()) {
                b.trustManager(tls.clientCa().toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new UserInputException("the TLS key and certificate cannot serve gRPC: " + e.getMessage(), e);
        }
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
