package dev.mtlj.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OutputTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes Open Inference Protocol (KServe v2) response bodies with Jackson's streaming generator. */
final class V2Json {
    private static final JsonFactory JSON = new JsonFactory();

    private V2Json() {}

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code GET /v2}: the server's name, version and the protocol extensions it implements. */
    static byte[] serverMetadata() {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", dev.mtlj.serve.ServerInfo.NAME);
            g.writeStringField("version", dev.mtlj.serve.ServerInfo.VERSION);
            g.writeArrayFieldStart("extensions");
            for (String e : dev.mtlj.serve.ServerInfo.EXTENSIONS) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static byte[] error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", dev.mtlj.serve.ErrorText.bounded(message));
            g.writeEndObject();
        });
    }

    static byte[] flag(String field, boolean value, String name) {
        return write(g -> {
            g.writeStartObject();
            if (name != null) {
                g.writeStringField("name", name);
            }
            g.writeBooleanField(field, value);
            g.writeEndObject();
        });
    }

    /** Model metadata: one input, one output per task (shapes with -1 for the batch dimension). */
    static byte[] metadata(ModelRepository.Served s, List<String> versions) {
        ModelSignature sig = s.predictor().signature();
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeArrayFieldStart("versions");
            for (String v : versions) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeStringField("platform", s.predictor().platform());
            g.writeArrayFieldStart("inputs");
            tensorMeta(g, dev.mtlj.serve.InferRequest.INPUT, sig.inputShape());
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            for (ModelSignature.Task t : sig.tasks()) {
                tensorMeta(g, t.name(), new long[] {t.outputs()});
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void tensorMeta(JsonGenerator g, String name, long[] shape) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", "FP32");
        g.writeArrayFieldStart("shape");
        g.writeNumber(-1);
        for (long d : shape) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * An infer response body: the JSON alone, or (binary tensor data) the JSON header followed by the binary outputs,
     * {@code headerLength} telling where the header ends (-1: all JSON).
     */
    record Reply(byte[] body, int headerLength) {}

    /** The infer response: per output its FP32 values or top-k "score:index" strings, as JSON or binary data. */
    static Reply infer(ModelRepository.Served s, String id, List<OutputTensor> outputs, List<Boolean> binary) {
        List<byte[]> raw = new java.util.ArrayList<>();
        byte[] json = write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", s.name());
            g.writeStringField("model_version", s.version());
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            for (int i = 0; i < outputs.size(); i++) {
                OutputTensor t = outputs.get(i);
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.datatype());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (binary.get(i)) {
                    byte[] b = t.raw();
                    raw.add(b);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", b.length);
                    g.writeEndObject();
                } else {
                    g.writeArrayFieldStart("data");
                    if (t.values() != null) {
                        for (float v : t.values()) {
                            g.writeNumber(v);
                        }
                    } else {
                        for (String v : t.strings()) {
                            g.writeString(v);
                        }
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        if (raw.isEmpty()) {
            return new Reply(json, -1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                json.length + raw.stream().mapToInt(b -> b.length).sum());
        out.writeBytes(json);
        raw.forEach(out::writeBytes);
        return new Reply(out.toByteArray(), json.length);
    }
}
