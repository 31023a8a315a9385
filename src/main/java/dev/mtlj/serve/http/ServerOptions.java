package dev.mtlj.serve.http;

import dev.mtlj.UserInputException;

/**
 * How the HTTP server listens.
 *
 * @param host              interface to bind; 127.0.0.1 unless told otherwise
 * @param port              TCP port (0: any free port)
 * @param maxBodyBytes      largest request body accepted (HTTP 413 above)
 * @param httpThreads       worker threads that parse requests and wait for results (bounds requests in progress)
 * @param drainSeconds      on shutdown, how long requests in flight may take to finish
 * @param modelControl      whether {@code /v2/repository/models/{name}/load|unload} may change the loaded models
 * @param bodySeconds       how long a request body may take to arrive before its connection is closed
 * @param bodiesInTransit   how many request bodies may be arriving at once (more get a 503 at once)
 */
public record ServerOptions(
        String host,
        int port,
        long maxBodyBytes,
        int httpThreads,
        int drainSeconds,
        boolean modelControl,
        int bodySeconds,
        int bodiesInTransit) {
    /** Default largest request body, 16 MiB. */
    public static final long DEFAULT_MAX_BODY = 16L << 20;

    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new UserInputException("host must be an address or name to bind, e.g. 127.0.0.1");
        }
        if (port < 0 || port > 65535) {
            throw new UserInputException("port must be 0..65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new UserInputException("max body size must be >= 1024 bytes, got " + maxBodyBytes);
        }
        if (httpThreads < 1 || httpThreads > 4096) {
            throw new UserInputException("http threads must be 1..4096, got " + httpThreads);
        }
        if (drainSeconds < 0) {
            throw new UserInputException("drain seconds must be >= 0, got " + drainSeconds);
        }
        if (bodySeconds < 1 || bodySeconds > 3600) {
            throw new UserInputException("body timeout must be 1..3600 s, got " + bodySeconds);
        }
        if (bodiesInTransit < 1 || bodiesInTransit > 100_000) {
            throw new UserInputException("bodies in transit must be 1..100000, got " + bodiesInTransit);
        }
    }

    /**
     * 127.0.0.1:8080, 16 MiB bodies, 64 HTTP threads, 30 s drain, no model control, 30 s for a body, 256 bodies in
     * transit.
     */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 8080, DEFAULT_MAX_BODY, 64, 30, false, 30, 256);
    }

    /** These options on port {@code p}. */
    public ServerOptions withPort(int p) {
        return new ServerOptions(
                host, p, maxBodyBytes, httpThreads, drainSeconds, modelControl, bodySeconds, bodiesInTransit);
    }

    /** These options with model control on or off. */
    public ServerOptions withModelControl(boolean on) {
        return new ServerOptions(host, port, maxBodyBytes, httpThreads, drainSeconds, on, bodySeconds, bodiesInTransit);
    }

    /** These options with a body deadline of {@code seconds} and at most {@code inTransit} bodies in transit. */
    public ServerOptions withBodyLimits(int seconds, int inTransit) {
        return new ServerOptions(host, port, maxBodyBytes, httpThreads, drainSeconds, modelControl, seconds, inTransit);
    }
}
