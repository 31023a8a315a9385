package dev.mtlj.cli;

import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.run.Run;
import dev.mtlj.run.SummaryTable;
import dev.mtlj.train.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mtlj eval --checkpoint PATH [--split test]}. */
@Command(
        name = "eval",
        header = "Evaluate a checkpoint or run directory on a split.",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a checkpoint on a split. PATH is a .ckpt file or a run directory (its checkpoints/best.ckpt if"
                    + " present, else latest.ckpt)."
        })
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "PATH",
            description = "Checkpoint file or run directory.")
    Path checkpoint;

    @Option(names = "--split", description = "train, val or test (default: ${DEFAULT-VALUE}).", defaultValue = "test")
    String split;

    @Option(
            names = {"-q", "--quiet"},
            description = "Warnings only.")
    boolean quiet;

    @Mixin
    UnsealedOption unsealed = new UnsealedOption();

    @Override
    public Integer call() {
        unsealed.apply();
        Main.quiet(quiet);
        Path used = CheckpointFile.resolve(checkpoint);
        Report r = Run.evaluate(checkpoint, split);
        PrintWriter out = spec.commandLine().getOut();
        out.println("checkpoint " + used + " (after step "
                + CheckpointFile.readState(used).stepsDone() + "; weights: the balancer's last)");
        out.print(SummaryTable.render(r));
        out.flush();
        return 0;
    }
}
