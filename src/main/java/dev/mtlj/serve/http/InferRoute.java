package dev.mtlj.serve.http;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.InferRequest;
import dev.mtlj.serve.Inference;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /v2/models/{name}[/versions/{v}]/infer}: the JSON body, or with the binary tensor data extension a JSON
 * header of {@code Inference-Header-Content-Length} bytes followed by the inputs' bytes; the answer as JSON, or binary
 * outputs after a JSON header when asked. Counts every request in the metrics, whatever its outcome.
 */
final class InferRoute {
    private final ModelRepository repository;
    private final BooleanSupplier accepting;
    private final Replies replies;

    InferRoute(ModelRepository repository, BooleanSupplier accepting, Replies replies) {
        this.repository = repository;
        this.accepting = accepting;
        this.replies = replies;
    }

    void infer(HttpServerExchange x, byte[] body) {
        long t0 = System.nanoTime();
        ModelRepository.Served s = null;
        int status = 500;
        try {
            s = repository.get(Params.of(x, "name"), Params.of(x, "version"));
            if (!accepting.getAsBoolean()) {
                throw new OverloadedException("the server is shutting down");
            }
            int header = headerLength(x, body.length);
            InferRequest req = JsonRequest.parse(
                    Json.read(body, 0, header),
                    ByteBuffer.wrap(body, header, body.length - header).slice(),
                    s.predictor().signature());
            List<Inference.Answer> answers = Inference.run(s, req);
            Replies.infer(
                    x,
                    V2Json.infer(
                            s,
                            req.id(),
                            answers.stream().map(Inference.Answer::tensor).toList(),
                            answers.stream().map(Inference.Answer::binary).toList()));
            status = 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = replies.fail(x, new OverloadedException("the server is shutting down"));
        } catch (Exception e) {
            status = replies.fail(x, e);
        } finally {
            repository.metrics().request(s, status, t0);
        }
    }

    /** Where the JSON header ends: the whole body, or the binary extension's declared header length. */
    private static int headerLength(HttpServerExchange x, int bodyLength) {
        String h = x.getRequestHeaders().getFirst(Replies.HEADER_LENGTH);
        if (h == null) {
            return bodyLength;
        }
        long n;
        try {
            n = Long.parseLong(h.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > bodyLength) {
            throw new UserInputException("Inference-Header-Content-Length is '" + h + "'; it must be the byte length of"
                    + " the JSON header, 1.." + bodyLength + " for this " + bodyLength + "-byte body");
        }
        return (int) n;
    }
}
