package dev.mtlj.cli;

import dev.mtlj.checkpoint.CheckpointFile;
import picocli.CommandLine.Option;

/** {@code --allow-unsealed}: the one way to load a checkpoint that carries no checksum, for the commands that load. */
final class UnsealedOption {
    @Option(
            names = "--allow-unsealed",
            description = "Load checkpoints that carry no checksum (written before 0.2, or with the seal removed)."
                    + " Off by default: such a file cannot be verified.")
    boolean allow;

    /** Applies the choice to this process's checkpoint loads. */
    void apply() {
        CheckpointFile.allowUnsealed(allow);
    }
}
