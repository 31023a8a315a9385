package dev.mtlj.cli;

import dev.mtlj.config.GradNormToySpec;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.run.RunOptions;
import dev.mtlj.run.SummaryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlj quickstart}: the embedded GradNorm-toy run; no download, CPU-friendly. */
@Command(
        name = "quickstart",
        header = "Train the GradNorm toy (four tasks, scales 1 to 100) and print its test metrics.",
        mixinStandardHelpOptions = true,
        description = {
            "Train an HPS MLP on the GradNorm synthetic problem (3 regression tasks with scales 1, 10, 100, plus a"
                    + " 4-class task) and print the per-task test metrics. Needs no download."
        })
final class QuickstartCommand implements Callable<Integer> {
    @Option(
            names = "--device",
            description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String device;

    @Option(names = "--steps", description = "Training steps (default: from the embedded config, 1500).")
    Long steps;

    @Option(
            names = "--output",
            description = "Root folder for run directories (default: ${DEFAULT-VALUE}).",
            defaultValue = "runs")
    String output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = {"-q", "--quiet"},
            description = "Warnings only; no progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Main.quiet(quiet);
        List<String> all = new ArrayList<>(List.of("device=" + device, "output=" + output));
        if (steps != null) {
            all.add("train.steps=" + steps);
        }
        all.addAll(overrides);
        RunConfig cfg = Quickstart.config(all);
        Run.Result r = Run.train(
                cfg, RunOptions.defaults().withProgress(Main.progress(quiet)).withStopOnSignal(true));
        if (r.fit().interrupted()) {
            return Main.EXIT_SIGTERM; // stopped by SIGTERM/SIGINT with a checkpoint; Run logged how to continue
        }
        System.out.println();
        System.out.println("Quick start: per-task test metrics (balancer " + cfg.balancerType() + ")");
        System.out.print(SummaryTable.render(r.test()));
        if (cfg.data() instanceof GradNormToySpec toy) {
            System.out.println();
            System.out.println("learned task weights beside the task scales:");
            for (int i = 0; i < toy.sigmas().size(); i++) {
                String task = "y" + (i + 1);
                System.out.printf(
                        java.util.Locale.ROOT,
                        "  %-4s sigma %8.3g   weight %.4g%n",
                        task,
                        toy.sigmas().get(i),
                        r.test().tasks().get(task).weight());
            }
        }
        System.out.printf(
                "%nrun written to %s (%d steps, %.1f s)%n", r.dir(), r.fit().stepsDone(), r.seconds());
        return 0;
    }
}
