package dev.mtlj.serve.grpc;

import com.google.protobuf.ByteString;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.InferRequest;
import dev.mtlj.serve.TensorData;
import dev.mtlj.serve.grpc.v2.InferParameter;
import dev.mtlj.serve.grpc.v2.InferTensorContents;
import dev.mtlj.serve.grpc.v2.ModelInferRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a gRPC {@code ModelInferRequest} into an {@link InferRequest}: the input's values from
 * {@code raw_input_contents} (little-endian bytes of its datatype) or from the typed {@code contents} field its datatype
 * names; the checks are the ones every front end shares.
 */
final class GrpcRequests {
    private GrpcRequests() {}

    static InferRequest parse(ModelInferRequest r, ModelSignature sig) {
        if (r.getInputsCount() != 1) {
            throw new UserInputException(
                    "inputs must hold one tensor, named '" + InferRequest.INPUT + "'; got " + r.getInputsCount());
        }
        ModelInferRequest.InferInputTensor in = r.getInputs(0);
        InferRequest.checkInputName(in.getName(), "inputs[0]");
        String type = in.getDatatype();
        TensorData.elementSize(type, "inputs[0]");
        long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
        int rows = InferRequest.rows(shape, sig, "inputs[0]");
        int n = (int) (rows * sig.exampleSize());
        float[] flat;
        if (r.getRawInputContentsCount() > 0) {
            if (in.hasContents()) {
                throw new UserInputException("inputs[0] carries both typed contents and raw_input_contents; give one");
            }
            if (r.getRawInputContentsCount() != 1) {
                throw new UserInputException(
                        "raw_input_contents holds " + r.getRawInputContentsCount() + " tensors for 1 input");
            }
            ByteString raw = r.getRawInputContents(0);
            flat = TensorData.decode(type, raw.asReadOnlyByteBuffer(), n, "raw_input_contents[0]");
        } else {
            flat = typed(in.getContents(), type, n);
        }
        return new InferRequest(
                r.getId().isEmpty() ? null : r.getId(),
                flat,
                rows,
                outputs(r.getOutputsList(), sig),
                new InferRequest.Output(0, true)); // gRPC answers in raw_output_contents
    }

    /** The values from the {@code contents} field the datatype names (FP32 → fp32_contents, INT32 → int_contents, …). */
    private static float[] typed(InferTensorContents c, String type, int n) {
        List<? extends Number> values = switch (type) {
            case "FP32" -> c.getFp32ContentsList();
            case "FP64" -> c.getFp64ContentsList();
            case "INT8", "INT16", "INT32" -> c.getIntContentsList();
            case "INT64" -> c.getInt64ContentsList();
            case "UINT8", "UINT16", "UINT32" -> c.getUintContentsList();
            case "UINT64" -> c.getUint64ContentsList();
            default ->
                throw new UserInputException("inputs[0] datatype " + type + " travels only in" + " raw_input_contents");
        };
        if (values.size() != n) {
            throw new UserInputException("inputs[0].contents holds " + values.size() + " " + type + " values; the"
                    + " shape needs " + n + " (or send raw_input_contents)");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            Number v = values.get(i);
            double d = switch (type) {
                case "UINT8", "UINT16", "UINT32" -> Integer.toUnsignedLong(v.intValue());
                case "UINT64" -> unsigned(v.longValue());
                default -> v.doubleValue();
            };
            out[i] = TensorData.finite((float) d, d, "inputs[0].contents", i);
        }
        return out;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static Map<String, InferRequest.Output> outputs(
            List<ModelInferRequest.InferRequestedOutputTensor> list, ModelSignature sig) {
        Map<String, InferRequest.Output> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "outputs[" + i + "]";
            ModelSignature.Task task = InferRequest.task(list.get(i).getName(), sig, where);
            InferParameter c = list.get(i).getParametersMap().get("classification");
            int k = 0;
            if (c != null) {
                Object v = switch (c.getParameterChoiceCase()) {
                    case INT64_PARAM -> c.getInt64Param();
                    case UINT64_PARAM -> c.getUint64Param();
                    case DOUBLE_PARAM -> c.getDoubleParam();
                    case STRING_PARAM -> c.getStringParam();
                    case BOOL_PARAM -> c.getBoolParam();
                    default -> "nothing";
                };
                k = InferRequest.topK(task, v, where + ".parameters");
            }
            out.put(task.name(), new InferRequest.Output(k, true));
        }
        return out;
    }
}
