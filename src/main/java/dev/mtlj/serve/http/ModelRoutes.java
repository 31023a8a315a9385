package dev.mtlj.serve.http;

import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.InferRequest;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.ServingMetrics;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The per-model GET routes: metadata, readiness, Triton's model configuration and statistics extensions. Models and
 * versions come from the path; the default version when the path names none.
 */
final class ModelRoutes {
    private final ModelRepository repository;
    private final BooleanSupplier accepting;

    ModelRoutes(ModelRepository repository, BooleanSupplier accepting) {
        this.repository = repository;
        this.accepting = accepting;
    }

    void metadata(HttpServerExchange x) {
        ModelRepository.Served s = repository.get(Params.of(x, "name"), Params.of(x, "version"));
        Replies.json(x, 200, V2Json.metadata(s, repository.versionsOf(s.name())));
    }

    void ready(HttpServerExchange x) {
        ModelRepository.Served s = repository.get(Params.of(x, "name"), Params.of(x, "version"));
        boolean ready = accepting.getAsBoolean();
        Replies.json(x, ready ? 200 : 503, V2Json.flag("ready", ready, s.name()));
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]/config}: the model as Triton's configuration describes it. */
    void config(HttpServerExchange x) {
        ModelRepository.Served s = repository.get(Params.of(x, "name"), Params.of(x, "version"));
        ModelSignature sig = s.predictor().signature();
        Replies.json(x, 200, V2Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("platform", s.predictor().platform());
            g.writeStringField("backend", "mtlj");
            g.writeNumberField(
                    "max_batch_size", s.batching().enabled() ? s.batching().maxBatchSize() : 0);
            g.writeArrayFieldStart("input");
            tensor(g, InferRequest.INPUT, sig.inputShape());
            g.writeEndArray();
            g.writeArrayFieldStart("output");
            for (ModelSignature.Task t : sig.tasks()) {
                tensor(g, t.name(), new long[] {t.outputs()});
            }
            g.writeEndArray();
            if (s.batching().enabled()) {
                g.writeObjectFieldStart("dynamic_batching");
                g.writeNumberField("max_queue_delay_microseconds", s.batching().maxWaitMicros());
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private static void tensor(com.fasterxml.jackson.core.JsonGenerator g, String name, long[] dims)
            throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("data_type", "TYPE_FP32");
        g.writeArrayFieldStart("dims");
        for (long d : dims) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code GET /v2/models[/{name}[/versions/{v}]]/stats}: Triton's statistics, the parts that are counted. */
    void stats(HttpServerExchange x) {
        String name = Params.of(x, "name");
        String version = Params.of(x, "version");
        List<ModelRepository.Served> models = name == null
                ? repository.all()
                : version == null
                        ? repository.versionsOf(name).stream()
                                .map(v -> repository.get(name, v))
                                .toList()
                        : List.of(repository.get(name, version));
        ServingMetrics m = repository.metrics();
        Replies.json(x, 200, V2Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("model_stats");
            for (ModelRepository.Served s : models) {
                ServingMetrics.Stats st = m.stats(s.name(), s.version());
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeStringField("version", s.version());
                g.writeNumberField("last_inference", st.lastInference());
                g.writeNumberField("inference_count", st.inferences());
                g.writeNumberField("execution_count", st.executions());
                g.writeObjectFieldStart("inference_stats");
                duration(g, "success", st.successCount(), st.successNs());
                duration(g, "fail", st.failCount(), st.failNs());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void duration(com.fasterxml.jackson.core.JsonGenerator g, String field, long count, long ns)
            throws java.io.IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("count", count);
        g.writeNumberField("ns", ns);
        g.writeEndObject();
    }
}
