package dev.mtlj.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.InferRequest;
import dev.mtlj.serve.TensorData;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an HTTP infer request: the JSON header and, with the binary tensor data extension, the bytes after it. An
 * input carries its values either as JSON {@code data} (flat or nested, row-major) or as {@code binary_data_size}
 * bytes of the binary part, taken in input order; bytes no input claims are an error, as is a claim the body cannot
 * satisfy. Outputs come back as JSON unless the request asks for binary data ({@code binary_data_output}, or an
 * output's own {@code binary_data}).
 */
final class JsonRequest {
    private JsonRequest() {}

    static InferRequest parse(JsonNode root, ByteBuffer binary, ModelSignature sig) {
        if (root == null || !root.isObject()) {
            throw new UserInputException("the request body must be a JSON object with \"inputs\"");
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
            throw new UserInputException("\"id\" must be a string");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw new UserInputException(
                    "\"inputs\" must be an array holding one tensor, named '" + InferRequest.INPUT + "'");
        }
        JsonNode in = inputs.get(0);
        InferRequest.checkInputName(text(in, "name", "inputs[0].name"), "inputs[0]");
        String type = text(in, "datatype", "inputs[0].datatype");
        int size = TensorData.elementSize(type, "inputs[0]");
        long[] shape = shape(in.get("shape"));
        int rows = InferRequest.rows(shape, sig, "inputs[0]");
        int n = (int) (rows * sig.exampleSize());
        JsonNode claim = in.path("parameters").get("binary_data_size");
        float[] flat;
        if (claim != null && in.has("data")) {
            throw new UserInputException("inputs[0] has both \"data\" and parameters.binary_data_size; give one");
        }
        if (claim != null) {
            if (!claim.canConvertToLong() || !claim.isIntegralNumber() || claim.asLong() < 0) {
                throw new UserInputException(
                        "inputs[0].parameters.binary_data_size must be a byte count, got " + claim);
            }
            long bytes = claim.asLong();
            if (bytes > binary.remaining()) {
                throw new UserInputException("inputs[0].parameters.binary_data_size is " + bytes + " but the body holds"
                        + " only " + binary.remaining()
                        + " bytes after its JSON header (Inference-Header-Content-Length)");
            }
            if (bytes != (long) n * size) {
                throw new UserInputException("inputs[0].parameters.binary_data_size is " + bytes + "; shape "
                        + Arrays.toString(shape) + " of " + type + " takes " + (long) n * size);
            }
            ByteBuffer mine = binary.slice().limit((int) bytes);
            binary.position(binary.position() + (int) bytes);
            flat = TensorData.decode(type, mine, n, "inputs[0] binary data");
        } else {
            JsonNode data = in.get("data");
            if (data == null || !data.isArray()) {
                throw new UserInputException("inputs[0] needs \"data\" (an array of numbers) or, with binary tensor"
                        + " data, \"parameters\": {\"binary_data_size\": bytes}");
            }
            int count = count(data);
            if (count != n) {
                throw new UserInputException(
                        "inputs[0].data holds " + count + " values; shape " + Arrays.toString(shape) + " needs " + n);
            }
            flat = new float[n];
            fill(data, flat, 0, type);
        }
        if (binary.hasRemaining()) {
            throw new UserInputException("the body carries " + binary.remaining() + " bytes of binary data that no"
                    + " input claims (binary_data_size)");
        }
        JsonNode params = root.path("parameters");
        boolean binaryOut = params.path("binary_data_output").asBoolean(false);
        return new InferRequest(
                id == null ? null : id.asText(),
                flat,
                rows,
                outputs(root.get("outputs"), sig, binaryOut),
                new InferRequest.Output(0, binaryOut));
    }

    private static int fill(JsonNode node, float[] out, int at, String type) {
        for (JsonNode v : node) {
            if (v.isArray()) {
                at = fill(v, out, at, type);
                continue;
            }
            if (!v.isNumber()) {
                throw new UserInputException("inputs[0].data: value " + at + " is " + v + ", not a number");
            }
            out[at] = TensorData.finite(v.floatValue(), v.doubleValue(), "inputs[0].data", at); // first: no Infinity
            TensorData.checkRange(type, v.decimalValue(), "inputs[0].data", at);
            at++;
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

    private static Map<String, InferRequest.Output> outputs(JsonNode node, ModelSignature sig, boolean binaryOut) {
        Map<String, InferRequest.Output> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            throw new UserInputException("\"outputs\" must be an array of {\"name\": <task>}");
        }
        for (int i = 0; i < node.size(); i++) {
            String where = "outputs[" + i + "]";
            ModelSignature.Task task = InferRequest.task(text(node.get(i), "name", where + ".name"), sig, where);
            JsonNode params = node.get(i).path("parameters");
            int k = 0;
            if (params.has("classification")) {
                JsonNode c = params.get("classification");
                k = InferRequest.topK(
                        task,
                        c.isIntegralNumber() ? (Object) c.asLong() : c.isNumber() ? c.doubleValue() : c.toString(),
                        where + ".parameters");
            }
            JsonNode b = params.get("binary_data");
            if (b != null && !b.isBoolean()) {
                throw new UserInputException(where + ".parameters.binary_data must be true or false, got " + b);
            }
            out.put(task.name(), new InferRequest.Output(k, b == null ? binaryOut : b.asBoolean()));
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
}
