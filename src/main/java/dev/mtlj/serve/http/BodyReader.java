package dev.mtlj.serve.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Reads request bodies without holding a thread while the bytes trickle in: the body is collected by the connection's
 * I/O thread, and only a complete body is handed to a worker thread. So clients that send their headers and then drip
 * the body cost no worker, and cannot stall other requests. Each body must arrive within a deadline (else the
 * connection is closed), at most so many bodies may be in transit at once and an eighth of those from one client
 * address (more get a 503 at once, so one client dripping many bodies cannot lock the others out), and a body over the
 * size limit — declared or chunked — is a 413.
 */
final class BodyReader {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

    /** What to do with a complete body, on a worker thread. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServerExchange x, byte[] body) throws Exception;
    }

    /** What a failure becomes: the status the error reply got. */
    @FunctionalInterface
    interface Failure {
        int reply(HttpServerExchange x, Exception e);
    }

    private final int maxInTransit;
    private final int maxPerClient;
    private final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, Integer> perClient =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final long deadlineMs;
    private final long maxBytes;
    private final Failure failure;
    private final AtomicInteger inTransit = new AtomicInteger();

    BodyReader(int maxInTransit, long deadlineMs, long maxBytes, Failure failure) {
        this.maxInTransit = maxInTransit;
        this.maxPerClient = Math.max(1, maxInTransit / 8);
        this.deadlineMs = deadlineMs;
        this.maxBytes = maxBytes;
        this.failure = failure;
    }

    /** Bodies being received now. */
    int inTransit() {
        return inTransit.get();
    }

    /** A handler that collects the body, then runs {@code h} on a worker thread. */
    HttpHandler of(Handler h) {
        return x -> {
            if (x.getRequestContentLength() > maxBytes) {
                failure.reply(x, new RequestTooBigException());
                return;
            }
            java.net.InetAddress client = x.getSourceAddress().getAddress();
            if (perClient.merge(client, 1, Integer::sum) > maxPerClient) {
                release(client);
                x.setPersistent(false);
                failure.reply(
                        x,
                        new dev.mtlj.serve.OverloadedException("this client already has " + maxPerClient
                                + " requests sending their bodies; retry shortly"));
                return;
            }
            if (inTransit.incrementAndGet() > maxInTransit) {
                inTransit.decrementAndGet();
                release(client);
                x.setPersistent(false);
                failure.reply(
                        x,
                        new dev.mtlj.serve.OverloadedException(
                                maxInTransit + " requests are still sending their" + " bodies; retry shortly"));
                return;
            }
            AtomicBoolean settled = new AtomicBoolean();
            XnioExecutor.Key deadline = x.getIoThread()
                    .executeAfter(
                            () -> {
                                if (settled.compareAndSet(false, true)) {
                                    inTransit.decrementAndGet();
                                    release(client);
                                    LOG.warn(
                                            "{} {} from {}: body not complete after {} ms; connection closed",
                                            x.getRequestMethod(),
                                            x.getRequestPath(),
                                            x.getSourceAddress(),
                                            deadlineMs);
                                    IoUtils.safeClose(x.getConnection());
                                }
                            },
                            deadlineMs,
                            TimeUnit.MILLISECONDS);
            // Collected here rather than with receiveFullBytes: past Undertow's own size limit it drops a chunked
            // connection without a word, where a client should hear 413.
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(
                    (int) Math.max(0, Math.min(x.getRequestContentLength(), maxBytes)));
            x.getRequestReceiver()
                    .receivePartialBytes(
                            (ex, part, last) -> {
                                if (settled.get()) {
                                    return;
                                }
                                if (body.size() + (long) part.length > maxBytes) {
                                    if (settled.compareAndSet(false, true)) {
                                        deadline.remove();
                                        inTransit.decrementAndGet();
                                        release(client);
                                        ex.getRequestReceiver().pause();
                                        failure.reply(ex, new RequestTooBigException());
                                    }
                                    return;
                                }
                                body.write(part, 0, part.length);
                                if (last && settled.compareAndSet(false, true)) {
                                    deadline.remove();
                                    inTransit.decrementAndGet();
                                    release(client);
                                    byte[] all = body.toByteArray();
                                    ex.dispatch(() -> {
                                        try {
                                            h.handle(ex, all);
                                        } catch (Exception e) {
                                            failure.reply(ex, e);
                                        }
                                    });
                                }
                            },
                            (ex, e) -> {
                                if (settled.compareAndSet(false, true)) {
                                    deadline.remove();
                                    inTransit.decrementAndGet();
                                    release(client);
                                    ex.setPersistent(false); // the rest of the body was not read
                                    failure.reply(ex, unwrap(e));
                                }
                            });
        };
    }

    /** One body of {@code client} settled. */
    private void release(java.net.InetAddress client) {
        perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static Exception unwrap(IOException e) {
        return e instanceof RequestTooBigException || e.getCause() instanceof RequestTooBigException
                ? new RequestTooBigException()
                : new MalformedBody(e);
    }

    /** A body that could not be read: broken framing, a connection that broke off (HTTP 400). */
    static final class MalformedBody extends dev.mtlj.UserInputException {
        private static final long serialVersionUID = 1L;

        MalformedBody(IOException cause) {
            super("the request body could not be read: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
    }
}
