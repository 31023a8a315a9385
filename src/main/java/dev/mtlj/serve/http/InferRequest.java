package dev.mtlj.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Open Inference Protocol (KServe v2) infer request for a model with one input named {@code input}.
 *
 * <p>The input's shape is {@code [B, input_shape...]} (or {@code [B, prod(input_shape)]}), its datatype any numeric
 * v2 type (values are read as float32), its data flat or nested, row-major. {@code outputs} selects tasks; a
 * classification task's output may ask for the top-k classes ({@code "parameters": {"classification": k}}).
 *
 * @param id       the request's id, echoed in the response (may be null)
 * @param flat     the examples, row-major
 * @param rows     the batch size B
 * @param outputs  requested task name to top-k (0: the raw output tensor); empty means every task
 */
public record InferRequest(String id, float[] flat, int rows, Map<String, Integer> outputs) {
    static final String INPUT = "input";
    private static final Set<String> NUMERIC = Set.of(
            "FP32", "FP64", "FP16", "BF16", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

    /** Parses and checks {@code root} against {@code sig}; every problem is a {@link UserInputException} naming the field. */
    static InferRequest parse(JsonNode root, ModelSignature sig) {
        if (root == null || !root.isObject()) {
            throw new UserInputException("the request body must be a JSON object with \"inputs\"");
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
            throw new UserInputException("\"id\" must be a string");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw new UserInputException("\"inputs\" must be an array holding one tensor, named '" + INPUT + "'");
        }
        JsonNode in = inputs.get(0);
        String name = text(in, "name", "inputs[0].name");
        if (!name.equals(INPUT)) {
            throw new UserInputException(
                    "unknown input '" + name + "'; this model takes one input named '" + INPUT + "'");
        }
        String type = text(in, "datatype", "inputs[0].datatype");
        if (!NUMERIC.contains(type)) {
            throw new UserInputException(
                    "inputs[0].datatype '" + type + "' is not allowed; use a numeric type such as FP32");
        }
        long[] shape = shape(in.get("shape"));
        long example = sig.exampleSize();
        long[] expected = sig.inputShape();
        long[] tail = Arrays.copyOfRange(shape, 1, shape.length);
        if (shape.length < 2
                || !(Arrays.equals(tail, expected) || (tail.length == 1 && tail[0] == example))
                || shape[0] < 1
                || shape[0] > Integer.MAX_VALUE) {
            throw new UserInputException("inputs[0].shape " + Arrays.toString(shape)
                    + " does not fit this model; expected [B, " + join(expected) + "]"
                    + (expected.length > 1 ? " (or [B, " + example + "])" : "") + " with B >= 1");
        }
        int rows = (int) shape[0];
        JsonNode data = in.get("data");
        if (data == null || !data.isArray()) {
            throw new UserInputException("inputs[0].data must be an array of numbers");
        }
        long n = rows * example;
        if (n > Integer.MAX_VALUE) {
            throw new UserInputException("inputs[0].shape " + Arrays.toString(shape) + " is too large");
        }
        int count = count(data);
        if (count != n) {
            throw new UserInputException(
                    "inputs[0].data holds " + count + " values; shape " + Arrays.toString(shape) + " needs " + n);
        }
        float[] flat = new float[(int) n];
        fill(data, flat, 0);
        return new InferRequest(id == null ? null : id.asText(), flat, rows, outputs(root.get("outputs"), sig));
    }

    private static int fill(JsonNode node, float[] out, int at) {
        for (JsonNode v : node) {
            if (v.isArray()) {
                at = fill(v, out, at);
                continue;
            }
            if (!v.isNumber()) {
                throw new UserInputException("inputs[0].data: value " + at + " is " + v + ", not a number");
            }
            float f = v.floatValue();
            if (!Float.isFinite(f)) {
                throw new UserInputException("inputs[0].data: value " + at + " (" + v + ") is not a finite float32");
            }
            out[at++] = f;
        }
        return at;
    }

    private static int count(JsonNode node) {
        int c = 0;
        for (JsonNode v : node) {
            c += v.isArray() ? count(v) : 1;
        }
        return c;
    }

    private static Map<String, Integer> outputs(JsonNode node, ModelSignature sig) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            throw new UserInputException("\"outputs\" must be an array of {\"name\": <task>}");
        }
        List<String> tasks = new ArrayList<>();
        sig.tasks().forEach(t -> tasks.add(t.name()));
        for (int i = 0; i < node.size(); i++) {
            String name = text(node.get(i), "name", "outputs[" + i + "].name");
            int t = sig.taskIndex(name);
            if (t < 0) {
                throw new UserInputException("unknown output '" + name + "'; outputs (tasks): " + tasks);
            }
            int k = 0;
            JsonNode params = node.get(i).get("parameters");
            if (params != null && params.has("classification")) {
                JsonNode c = params.get("classification");
                int classes = sig.tasks().get(t).outputs();
                if (sig.tasks().get(t).taskKind() != dev.mtlj.task.TaskKind.CLASSIFICATION
                        || !c.canConvertToInt()
                        || c.asInt() < 1
                        || c.asInt() > classes) {
                    throw new UserInputException("outputs[" + i + "].parameters.classification must be an integer 1.."
                            + classes + " on a classification task; '" + name + "' is "
                            + sig.tasks().get(t).kind());
                }
                k = c.asInt();
            }
            out.put(name, k);
        }
        return out;
    }

    private static long[] shape(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new UserInputException("inputs[0].shape must be an array of integers, e.g. [B, features]");
        }
        long[] s = new long[node.size()];
        for (int i = 0; i < s.length; i++) {
            if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber()) {
                throw new UserInputException("inputs[0].shape[" + i + "] is " + node.get(i) + ", not an integer");
            }
            s[i] = node.get(i).asLong();
        }
        return s;
    }

    private static String text(JsonNode obj, String field, String where) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || !v.isTextual()) {
            throw new UserInputException(where + " must be a string");
        }
        return v.asText();
    }

    private static String join(long[] xs) {
        return Arrays.toString(xs).replace("[", "").replace("]", "");
    }
}
