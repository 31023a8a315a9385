package dev.mtlj.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.AtomicFiles;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.checkpoint.TrainerState;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which run a folder holds: a random id in {@code run.json}, made with the folder and carried by each of its
 * checkpoints ({@link TrainerState#runId()}), and the config keys that say what the run is ({@link #KEYS}). A resume is
 * checked against both before anything in the folder changes.
 */
final class RunIdentity {
    /** Config keys a resume may not change: they say which run this is. */
    static final List<String> KEYS = List.of("name", "seed", "data", "tasks", "model");

    private static final String FILE = "run.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunIdentity() {}

    /**
     * Refuses, before anything in {@code dir} changes, a checkpoint that another run wrote or a config that makes this
     * another run. A folder without {@code run.json} (written before identities) is matched by its config.yaml.
     */
    static void check(Path dir, Path checkpoint, RunConfig config) {
        TrainerState state = CheckpointFile.readState(checkpoint);
        String folderId = readIdentity(dir);
        if (folderId != null || state.runId() != null) {
            if (!java.util.Objects.equals(folderId, state.runId())) {
                throw new UserInputException("checkpoint '" + checkpoint + "' belongs to another run (run id "
                        + state.runId() + ", the folder " + dir + " is run " + folderId + "); nothing was changed;"
                        + " resume a checkpoint from its own run folder");
            }
        }
        if (state.metadata() == null) {
            return;
        }
        JsonNode stored = tree(state.metadata(), checkpoint);
        JsonNode wanted = tree(ConfigLoader.toJson(config), checkpoint);
        for (String key : KEYS) {
            if (!stored.path(key).equals(wanted.path(key))) {
                throw new UserInputException("the config's '" + key + "' differs from that of the run in " + dir
                        + " (resuming cannot change " + String.join(", ", KEYS) + "); nothing was"
                        + " changed; start a new run for a different " + key);
            }
        }
        if (folderId == null && Files.isRegularFile(dir.resolve("config.yaml"))) {
            RunConfig folder;
            try {
                folder = ConfigLoader.load(dir.resolve("config.yaml"), List.of());
            } catch (UserInputException e) {
                return; // an unreadable old config.yaml is rewritten from the checkpoint's
            }
            JsonNode own = tree(ConfigLoader.toJson(folder), checkpoint);
            for (String key : KEYS) {
                if (!stored.path(key).equals(own.path(key))) {
                    throw new UserInputException("checkpoint '" + checkpoint + "' belongs to another run: its '" + key
                            + "' differs from " + dir.resolve("config.yaml") + "; nothing was changed");
                }
            }
        }
    }

    private static JsonNode tree(String json, Path source) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UserInputException("checkpoint '" + source + "' carries an unreadable run config", e);
        }
    }

    /** The folder's identity, created with the folder (and for a folder from before identities, when resumed). */
    static String ensure(Path dir) throws IOException {
        String id = readIdentity(dir);
        if (id == null) {
            id = java.util.UUID.randomUUID().toString();
            AtomicFiles.writeString(
                    dir.resolve(FILE),
                    MAPPER.createObjectNode().put("run_id", id).toString() + "\n");
        }
        return id;
    }

    private static String readIdentity(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            String id = MAPPER.readTree(f.toFile()).path("run_id").asText("");
            if (id.isEmpty()) {
                throw new UserInputException(f + " holds no run_id; the run folder is damaged");
            }
            return id;
        } catch (IOException e) {
            throw new UserInputException(
                    f + " is not readable JSON (" + e.getMessage() + "); the run folder is damaged");
        }
    }
}
