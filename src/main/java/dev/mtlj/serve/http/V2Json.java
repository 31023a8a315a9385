package dev.mtlj.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.TaskOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    static byte[] error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
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
            tensorMeta(g, InferRequest.INPUT, sig.inputShape());
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

    /** The infer response: per task its probabilities/values, or its top-k classes as "score:index" strings. */
    static byte[] infer(ModelRepository.Served s, String id, Predictions p, Map<String, Integer> topK) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", s.name());
            g.writeStringField("model_version", s.version());
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            for (TaskOutput t : p.tasks().values()) {
                int k = topK.getOrDefault(t.task(), 0);
                g.writeStartObject();
                g.writeStringField("name", t.task());
                g.writeStringField("datatype", k > 0 ? "BYTES" : "FP32");
                g.writeArrayFieldStart("shape");
                g.writeNumber(t.rows());
                g.writeNumber(k > 0 ? k : t.width());
                g.writeEndArray();
                g.writeArrayFieldStart("data");
                if (k > 0) {
                    topK(g, t, k);
                } else {
                    for (float v : t.values()) {
                        g.writeNumber(v);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void topK(JsonGenerator g, TaskOutput t, int k) throws IOException {
        for (int r = 0; r < t.rows(); r++) {
            float[] row = t.row(r);
            boolean[] used = new boolean[row.length];
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int c = 0; c < row.length; c++) {
                    if (!used[c] && (best < 0 || row[c] > row[best])) {
                        best = c;
                    }
                }
                used[best] = true;
                g.writeString(String.format(Locale.ROOT, "%f:%d", row[best], best));
            }
        }
    }
}
