package dev.mtlj.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Runs a checked {@link InferRequest} on a served model, for every front end (HTTP and gRPC) alike. */
public final class Inference {
    private Inference() {}

    /**
     * One output of the answer.
     *
     * @param tensor the task's tensor as asked (values or top-k classes)
     * @param binary whether the client asked for it as binary data
     */
    public record Answer(OutputTensor tensor, boolean binary) {}

    /** The request's outputs, in the model's task order, through the model's dispatcher (batched or direct). */
    public static List<Answer> run(ModelRepository.Served s, InferRequest req) throws InterruptedException {
        Predictions p = await(s.dispatcher()
                .submit(
                        req.flat(),
                        req.rows(),
                        req.outputs().isEmpty() ? null : req.outputs().keySet()));
        List<Answer> out = new ArrayList<>();
        for (TaskOutput t : p.tasks().values()) {
            requireFinite(t);
            InferRequest.Output o = req.outputs().getOrDefault(t.task(), req.all());
            out.add(new Answer(OutputTensor.of(t, o.topK()), o.binary()));
        }
        return out;
    }

    /**
     * A non-finite output is refused (HTTP 400, gRPC INVALID_ARGUMENT) rather than sent as "NaN": it means the input lies
     * far outside what the model was trained on (e.g. every feature 3e38 overflows the first layer).
     */
    private static void requireFinite(TaskOutput t) {
        float[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new dev.mtlj.UserInputException("the model's output '" + t.task() + "' for row " + i / t.width()
                        + " is " + v[i] + ": the input overflows the model (values far outside its training data?)");
            }
        }
    }

    private static Predictions await(CompletableFuture<Predictions> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new CompletionException(c);
        }
    }
}
