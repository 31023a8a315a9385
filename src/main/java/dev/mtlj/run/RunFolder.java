package dev.mtlj.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.AtomicFiles;
import dev.mtlj.config.RunConfig;
import dev.mtlj.dist.WorldInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder a run writes, held under its lock for the run's lifetime: a fresh one ({@code <output>/<name>}, else the
 * first free {@code <name>-2}, …), the folder of a checkpoint being resumed, or — when torchrun restarts a failed group
 * ({@code TORCHELASTIC_RESTART_COUNT > 0}) — the unfinished folder its first attempt created, recorded in
 * {@code launch.json} with torchrun's run id, resumed from its last checkpoint (or restarted there when it has none).
 *
 * <p>Each folder has an identity, a random id in {@code run.json} that every checkpoint of the run carries. A resume
 * checks it before touching the folder: a checkpoint from another run (copied in, or named together with another run's
 * folder) is refused, and so is a config that changes what the run is ({@link RunIdentity}). A run folder that was
 * stopped before its first checkpoint is resumed from its start, in the same folder.
 */
final class RunFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Path checkpoint;
    private final RunLock lock;
    private final String runId;
    private final boolean fresh;

    private RunFolder(Path dir, Path checkpoint, RunLock lock, String runId, boolean fresh) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.lock = lock;
        this.runId = runId;
        this.fresh = fresh;
    }

    /** The run's identity, carried by each of its checkpoints. */
    String runId() {
        return runId;
    }

    /** The run folder (absolute). */
    Path dir() {
        return dir;
    }

    /** The checkpoint to resume from, or null for a fresh start. */
    Path checkpoint() {
        return checkpoint;
    }

    static RunFolder open(RunConfig config, Path resume, WorldInfo world) {
        Path checkpoint = resume == null ? null : checkpointIn(resume);
        Path dir;
        boolean fresh = false;
        if (checkpoint != null) {
            dir = checkpoint.toAbsolutePath().getParent().getParent();
            RunIdentity.check(dir, checkpoint, config);
        } else if (resume != null) {
            dir = resume.toAbsolutePath();
            LOG.warn(
                    "{} has no checkpoint yet (it was stopped before its first one); training it from step 0 in the"
                            + " same folder",
                    dir);
        } else if (world.restartCount() > 0 && world.runId() != null) {
            dir = previousAttempt(config, world.runId()).orElse(null);
            if (dir == null) {
                LOG.warn(
                        "torchrun restart {} of run '{}' found no unfinished folder of it under {}; starting afresh",
                        world.restartCount(),
                        world.runId(),
                        config.output());
                dir = freshDir(config);
                fresh = true;
            } else {
                Path latest = dir.resolve("checkpoints").resolve("latest.ckpt");
                checkpoint = Files.isRegularFile(latest) ? latest : null;
                LOG.warn(
                        "torchrun restart {}: continuing {} from {}",
                        world.restartCount(),
                        dir,
                        checkpoint == null ? "the start (no checkpoint yet)" : checkpoint);
            }
        } else {
            dir = freshDir(config);
            fresh = true;
        }
        Path ckptDir = dir.resolve("checkpoints");
        try {
            Files.createDirectories(ckptDir);
        } catch (IOException e) {
            throw new UserInputException("cannot write run directory " + dir + ": " + e.getMessage());
        }
        RunLock lock = RunLock.acquire(dir);
        String id;
        try {
            id = RunIdentity.ensure(dir);
            for (Path d : List.of(dir, ckptDir)) {
                for (Path f : AtomicFiles.removeStale(d)) {
                    LOG.warn("removed {}, a partial write left by a process that was killed", f);
                }
            }
            if (world.runId() != null && checkpoint == null) {
                AtomicFiles.writeString(
                        dir.resolve("launch.json"),
                        JSON.createObjectNode()
                                .put("torchrun_run_id", world.runId())
                                .put("world_size", world.size())
                                .toString());
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e instanceof IOException
                    ? new UserInputException("cannot write run directory " + dir + ": " + e.getMessage())
                    : (RuntimeException) e;
        }
        return new RunFolder(dir, checkpoint, lock, id, fresh);
    }

    /**
     * The checkpoint to resume {@code p} from: the file itself or the folder's {@code latest.ckpt}; null for a run folder
     * stopped before its first checkpoint (it restarts from step 0). Anything else is refused, saying why.
     */
    static Path checkpointIn(Path p) {
        if (Files.isDirectory(p)) {
            Path c = p.resolve("checkpoints").resolve("latest.ckpt");
            if (Files.isRegularFile(c)) {
                return c;
            }
            if (!Files.isRegularFile(p.resolve("config.yaml"))) {
                throw new UserInputException(
                        "'" + p + "' is not an mtlj run folder (it has no config.yaml and no checkpoints/latest.ckpt)");
            }
            if (Files.exists(p.resolve("summary.json"))) {
                throw new UserInputException("run folder '" + p + "' finished but holds no checkpoints/latest.ckpt"
                        + " (removed?); nothing to resume from");
            }
            return null;
        }
        if (!Files.isRegularFile(p)) {
            throw new UserInputException("no checkpoint at '" + p + "' (give a run directory or a .ckpt file)");
        }
        return p;
    }

    /** The newest unfinished folder of {@code <output>/<name>[-k]} whose launch.json carries torchrun's run id. */
    private static Optional<Path> previousAttempt(RunConfig config, String runId) {
        Path base = Path.of(config.output()).toAbsolutePath();
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(d -> d.getFileName().toString().equals(config.name())
                            || d.getFileName()
                                    .toString()
                                    .matches(java.util.regex.Pattern.quote(config.name()) + "-\\d+"))
                    .filter(d -> !Files.exists(d.resolve("summary.json")) && runId.equals(launchId(d)))
                    .max(Comparator.comparingLong(RunFolder::modified));
        } catch (IOException e) {
            throw new UserInputException("cannot list run folders under '" + base + "': " + e.getMessage());
        }
    }

    private static String launchId(Path dir) {
        try {
            JsonNode n = JSON.readTree(dir.resolve("launch.json").toFile());
            return n.path("torchrun_run_id").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A new run folder, created here: {@code <output>/<name>}, else the first free {@code <name>-2}, {@code -3}, … */
    private static Path freshDir(RunConfig config) {
        Path base = Path.of(config.output()).resolve(config.name()).toAbsolutePath();
        try {
            Files.createDirectories(base.getParent());
            for (int i = 1; ; i++) {
                Path dir = i == 1 ? base : Path.of(base + "-" + i);
                try {
                    return Files.createDirectory(dir); // atomic: two runs never pick the same folder
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // next suffix
                }
            }
        } catch (IOException e) {
            throw new UserInputException(
                    "cannot create a run folder under '" + base.getParent() + "': " + e.getMessage());
        }
    }

    /**
     * Removes the folder when this process created it and the run failed before its first checkpoint or record: a
     * refused run leaves nothing behind. A folder that holds a checkpoint or a metrics record is kept.
     */
    void discardIfUnused() {
        if (!fresh
                || Files.exists(dir.resolve("checkpoints").resolve("latest.ckpt"))
                || sizeOf(dir.resolve("metrics.jsonl")) > 0) {
            return;
        }
        lock.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the unused run folder {}: {}", dir, e.getMessage());
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
