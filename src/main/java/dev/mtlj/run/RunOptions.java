package dev.mtlj.run;

import dev.mtlj.dist.WorldInfo;
import java.nio.file.Path;

/**
 * How {@link Run#train(dev.mtlj.config.RunConfig, RunOptions)} runs.
 *
 * @param resume   a run directory or checkpoint to continue, or null for a fresh run
 * @param progress     whether to draw a progress bar on the console
 * @param stopOnSignal whether SIGTERM/SIGINT end training after the step in progress, with a checkpoint, instead of
 *                     at once (the CLI sets it; an embedding application decides its own signal handling)
 * @param world        this process's place in a data-parallel run ({@link WorldInfo#single()}: one process; the CLI
 *                     reads the launcher's environment)
 */
public record RunOptions(Path resume, boolean progress, boolean stopOnSignal, WorldInfo world) {
    /** A single process unless {@code world} says otherwise. */
    public RunOptions {
        world = world == null ? WorldInfo.single() : world;
    }

    /** A fresh one-process run without a progress bar or signal handling. */
    public static RunOptions defaults() {
        return new RunOptions(null, false, false, WorldInfo.single());
    }

    /** These options, continuing {@code runOrCheckpoint}. */
    public RunOptions withResume(Path runOrCheckpoint) {
        return new RunOptions(runOrCheckpoint, progress, stopOnSignal, world);
    }

    /** These options, with or without a progress bar. */
    public RunOptions withProgress(boolean show) {
        return new RunOptions(resume, show, stopOnSignal, world);
    }

    /** These options, with or without a checkpointed stop on SIGTERM/SIGINT. */
    public RunOptions withStopOnSignal(boolean on) {
        return new RunOptions(resume, progress, on, world);
    }

    /** These options, as rank {@code world.rank()} of a data-parallel run. */
    public RunOptions withWorld(WorldInfo w) {
        return new RunOptions(resume, progress, stopOnSignal, w);
    }
}
