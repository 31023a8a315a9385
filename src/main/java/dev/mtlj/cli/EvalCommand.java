package dev.mtlj.cli;

import dev.mtlj.run.Run;
import dev.mtlj.run.SummaryTable;
import dev.mtlj.train.Report;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlj eval --checkpoint PATH [--split test]}. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a checkpoint on a split. PATH is a .ckpt file or a run directory",
            "(its checkpoints/best.ckpt if present, else latest.ckpt)."
        })
final class EvalCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        Main.quiet(quiet);
        Report r = Run.evaluate(checkpoint, split);
        System.out.print(SummaryTable.render(r));
        return 0;
    }
}
