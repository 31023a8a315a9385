package dev.mtlj.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlj.UserInputException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.PredictorOptions;
import io.undertow.server.HttpServerExchange;
import java.util.Iterator;

/**
 * The model repository extension, as Triton has it: {@code POST /v2/repository/index} lists every model the
 * repository folder holds or the server held (READY, or UNAVAILABLE with the reason; {@code {"ready": true}} keeps the
 * ready ones), and with model control {@code /v2/repository/models/{name}/load|unload} loads or unloads a model by
 * name from the repository folder. No request ever names a file: a load body may carry no path.
 */
final class RepositoryRoutes {
    private final ModelRepository repository;
    private final boolean modelControl;
    private final PredictorOptions loadOptions;
    private volatile BatchingOptions loadBatching = BatchingOptions.defaults();

    RepositoryRoutes(ModelRepository repository, boolean modelControl, PredictorOptions loadOptions) {
        this.repository = repository;
        this.modelControl = modelControl;
        this.loadOptions = loadOptions;
    }

    void batching(BatchingOptions b) {
        this.loadBatching = b;
    }

    void index(HttpServerExchange x, byte[] body) throws java.io.IOException {
        JsonNode req = body.length == 0 ? Json.MAPPER.createObjectNode() : Json.read(body);
        JsonNode ready = req.get("ready");
        if (ready != null && !ready.isBoolean()) {
            throw new UserInputException("\"ready\" must be true or false, got " + ready);
        }
        boolean onlyReady = ready != null && ready.asBoolean();
        Replies.json(x, 200, V2Json.write(g -> {
            g.writeStartArray();
            for (ModelRepository.IndexEntry e : repository.index()) {
                if (onlyReady && !e.state().equals("READY")) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("name", e.name());
                g.writeStringField("version", e.version());
                g.writeStringField("state", e.state());
                g.writeStringField("reason", e.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
        }));
    }

    /** Loads every version of the named model from the repository folder; a body may not name files. */
    void load(HttpServerExchange x, byte[] body) throws java.io.IOException {
        requireModelControl();
        String name = Params.of(x, "name");
        repository.checkControllable(name);
        JsonNode params = body.length == 0
                ? Json.MAPPER.createObjectNode()
                : Json.read(body).path("parameters");
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals("path") || k.startsWith("file:") || k.equals("config")) {
                throw new UserInputException("load takes no parameter '" + k + "': models are loaded by name from the"
                        + " model repository folder, never from a path or file a request names");
            }
        }
        repository.loadFromStore(name, loadOptions, loadBatching);
        Replies.json(x, 200, V2Json.flag("loaded", true, name));
    }

    void unload(HttpServerExchange x, byte[] body) throws java.io.IOException {
        requireModelControl();
        repository.checkControllable(Params.of(x, "name"));
        JsonNode v = body.length == 0
                ? Json.MAPPER.createObjectNode()
                : Json.read(body).path("parameters").path("version");
        repository.unload(Params.of(x, "name"), v.isTextual() ? v.asText() : null);
        Replies.json(x, 200, V2Json.flag("unloaded", true, Params.of(x, "name")));
    }

    private void requireModelControl() {
        if (!modelControl) {
            throw new dev.mtlj.serve.AccessDeniedException(
                    "model control is off; start the server with model control (--model-control)"
                            + " to load or unload models over HTTP");
        }
    }
}
