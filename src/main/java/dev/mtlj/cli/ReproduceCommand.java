package dev.mtlj.cli;

import dev.mtlj.reproduce.Reproduce;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtlj reproduce NAME [--quick] [--output DIR] [--seed N]}. */
@Command(
        name = "reproduce",
        header = "Re-run a paper's experiment and write a report with charts.",
        mixinStandardHelpOptions = true,
        description = {
            "Re-run a paper's experiment and write a report (our numbers beside the published ones) with PNG/SVG charts.",
            "NAME: gradnorm-toy, uw-toy, mmoe-synthetic, multi-fashion (needs: sudo apt-get install dataset-fashion-mnist)."
        })
final class ReproduceCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Which reproduction.")
    String name;

    @Option(names = "--quick", description = "Short runs (a smoke test of the whole pipeline).")
    boolean quick;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Where reports go (default: ${DEFAULT-VALUE}).",
            defaultValue = "reports")
    Path output;

    @Option(names = "--seed", description = "Run seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(
            names = {"-q", "--quiet"},
            description = "Warnings only.")
    boolean quiet;

    @Override
    public Integer call() {
        Main.quiet(quiet);
        Path report = Reproduce.run(name, output, quick, seed);
        spec.commandLine().getOut().println("report written to " + report);
        return 0;
    }
}
