package dev.mtlj.run;

import java.nio.file.Path;

/**
 * How {@link Run#train(dev.mtlj.config.RunConfig, RunOptions)} runs.
 *
 * @param resume   a run directory or checkpoint to continue, or null for a fresh run
 * @param progress whether to draw a progress bar on the console
 */
public record RunOptions(Path resume, boolean progress) {
    /** A fresh run without a progress bar. */
    public static RunOptions defaults() {
        return new RunOptions(null, false);
    }

    /** These options, continuing {@code runOrCheckpoint}. */
    public RunOptions withResume(Path runOrCheckpoint) {
        return new RunOptions(runOrCheckpoint, progress);
    }

    /** These options, with or without a progress bar. */
    public RunOptions withProgress(boolean show) {
        return new RunOptions(resume, show);
    }
}
