package dev.mtlj.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtlj.UserInputException;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends replies and maps failures to statuses in one place: 400 bad request (a {@link UserInputException}, malformed
 * JSON, an unreadable body), 403 model control off, 404 unknown model or version, 413 body too large, 503 the server's
 * own overload or shutdown (with {@code Retry-After}), 401 a missing or wrong bearer token, 500 anything else — "internal error" to the client, the trace to
 * the log. Every error body is {@code {"error": "..."}}.
 */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    static final HttpString HEADER_LENGTH = new HttpString("Inference-Header-Content-Length");
    private final long maxBodyBytes;

    Replies(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    static void json(HttpServerExchange x, int status, byte[] json) {
        x.setStatusCode(status);
        x.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        x.getResponseSender().send(ByteBuffer.wrap(json));
    }

    /** An infer reply: JSON, or the JSON header and binary outputs after it. */
    static void infer(HttpServerExchange x, V2Json.Reply r) {
        x.setStatusCode(200);
        if (r.headerLength() < 0) {
            x.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        } else {
            x.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
            x.getResponseHeaders().put(HEADER_LENGTH, Integer.toString(r.headerLength()));
        }
        x.getResponseSender().send(ByteBuffer.wrap(r.body()));
    }

    /** Maps a failure to its status and JSON error, sends it unless a response already started; returns the status. */
    int fail(HttpServerExchange x, Exception e) {
        int status;
        String message;
        if (e instanceof ModelRepository.NotFoundException) {
            status = 404;
            message = e.getMessage();
        } else if (e instanceof dev.mtlj.serve.AccessDeniedException) {
            status = 403;
            message = e.getMessage();
        } else if (e instanceof dev.mtlj.serve.UnauthenticatedException) {
            status = 401;
            message = e.getMessage();
            x.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        } else if (e instanceof BodyReader.MalformedBody) {
            status = 400;
            message = e.getMessage();
            LOG.warn("{} {} from {}: {}", x.getRequestMethod(), x.getRequestPath(), x.getSourceAddress(), message);
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
            message = "the request body is larger than " + maxBodyBytes + " bytes";
            x.setPersistent(false); // the rest of the body was not read
        } else if (e instanceof OverloadedException) {
            status = 503; // full queue, too many bodies in transit, or the server or this model is shutting down
            message = e.getMessage();
            x.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        } else {
            status = 500;
            message = "internal error; see the server log";
            LOG.error("request {} {} failed", x.getRequestMethod(), x.getRequestPath(), e);
        }
        if (!x.isResponseStarted()) {
            json(x, status, V2Json.error(message));
        }
        return status;
    }
}
