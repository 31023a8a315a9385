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
 */
final class RunFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Path checkpoint;
    private final RunLock lock;

    private RunFolder(Path dir, Path checkpoint, RunLock lock) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.lock = lock;
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
        if (checkpoint != null) {
            dir = checkpoint.toAbsolutePath().getParent().getParent();
        } else if (world.restartCount() > 0 && world.runId() != null) {
            dir = previousAttempt(config, world.runId()).orElse(null);
            if (dir == null) {
                LOG.warn(
                        "torchrun restart {} of run '{}' found no unfinished folder of it under {}; starting afresh",
                        world.restartCount(),
                        world.runId(),
                        config.output());
                dir = freshDir(config);
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
        }
        Path ckptDir = dir.resolve("checkpoints");
        try {
            Files.createDirectories(ckptDir);
        } catch (IOException e) {
            throw new UserInputException("cannot write run directory " + dir + ": " + e.getMessage());
        }
        RunLock lock = RunLock.acquire(dir);
        try {
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
        return new RunFolder(dir, checkpoint, lock);
    }

    static Path checkpointIn(Path p) {
        Path c = Files.isDirectory(p) ? p.resolve("checkpoints").resolve("latest.ckpt") : p;
        if (!Files.isRegularFile(c)) {
            throw new UserInputException("no checkpoint at '" + c + "' (give a run directory or a .ckpt file)");
        }
        return c;
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

    @Override
    public void close() {
        lock.close();
    }
}
