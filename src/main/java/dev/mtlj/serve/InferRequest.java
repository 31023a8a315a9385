package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol request as every front end (HTTP/JSON, HTTP binary, gRPC) hands it to a model: the
 * examples as float32, and the outputs asked for. The checks every front end shares live here, so one request is
 * judged alike whichever way it came.
 *
 * @param id      the request's id, echoed in the response (may be null)
 * @param flat    the examples, row-major
 * @param rows    the batch size B
 * @param outputs requested task name to how to return it; empty means every task, as {@code all}
 * @param all     how to return each task when {@code outputs} is empty
 */
public record InferRequest(String id, float[] flat, int rows, Map<String, Output> outputs, Output all) {
    /** The single input every mtlj model takes. */
    public static final String INPUT = "input";

    /**
     * How one output is returned.
     *
     * @param topK   the top-k classes as "score:index" strings (the classification extension), 0: the raw tensor
     * @param binary whether as binary tensor data (HTTP's extension; gRPC always uses raw contents)
     */
    public record Output(int topK, boolean binary) {}

    /** The input's name must be {@link #INPUT}. */
    public static void checkInputName(String name, String where) {
        if (!INPUT.equals(name)) {
            throw new UserInputException("unknown input '" + name + "' (" + where + "); this model takes one input"
                    + " named '" + INPUT + "'");
        }
    }

    /**
     * The batch size of an input of {@code shape}: [B, input shape...] or [B, its product], B ≥ 1; anything else is a
     * {@link UserInputException} naming {@code where} and what fits.
     */
    public static int rows(long[] shape, ModelSignature sig, String where) {
        long example = sig.exampleSize();
        long[] expected = sig.inputShape();
        long[] tail = shape.length == 0 ? new long[0] : Arrays.copyOfRange(shape, 1, shape.length);
        if (shape.length < 2
                || !(Arrays.equals(tail, expected) || (tail.length == 1 && tail[0] == example))
                || shape[0] < 1
                || shape[0] > Integer.MAX_VALUE
                || shape[0] * example > Integer.MAX_VALUE) {
            throw new UserInputException(where + ".shape " + Arrays.toString(shape) + " does not fit this model;"
                    + " expected [B, " + join(expected) + "]"
                    + (expected.length > 1 ? " (or [B, " + example + "])" : "")
                    + " with B >= 1");
        }
        return (int) shape[0];
    }

    /** The task an output names, checked. */
    public static ModelSignature.Task task(String name, ModelSignature sig, String where) {
        int t = sig.taskIndex(name);
        if (t < 0) {
            List<String> tasks =
                    sig.tasks().stream().map(ModelSignature.Task::name).toList();
            throw new UserInputException("unknown output '" + name + "' (" + where + "); outputs (tasks): " + tasks);
        }
        return sig.tasks().get(t);
    }

    /**
     * A classification request's k: an integer 1..classes on a classification task; {@code value} is what the client
     * sent (a Number, or anything else, which is refused).
     */
    public static int topK(ModelSignature.Task task, Object value, String where) {
        int classes = task.outputs();
        boolean integral = value instanceof Integer
                || value instanceof Long
                || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
        long k = integral ? ((Number) value).longValue() : -1;
        if (task.taskKind() != dev.mtlj.task.TaskKind.CLASSIFICATION || !integral || k < 1 || k > classes) {
            throw new UserInputException(where + ".classification must be an integer 1.." + classes + " on a"
                    + " classification task; got " + value + " for '" + task.name() + "', a " + task.kind() + " task");
        }
        return (int) k;
    }

    private static String join(long[] xs) {
        return Arrays.toString(xs).replace("[", "").replace("]", "");
    }
}
