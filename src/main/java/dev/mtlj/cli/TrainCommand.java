package dev.mtlj.cli;

import dev.mtlj.UserInputException;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.dist.LocalLauncher;
import dev.mtlj.dist.WorldInfo;
import dev.mtlj.run.Run;
import dev.mtlj.run.RunOptions;
import dev.mtlj.run.SummaryTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mtlj train --config FILE [--set key=value]... [--resume RUN]}. */
@Command(
        name = "train",
        header = "Train a multi-task model from a YAML config (one process, --nproc N, or a launcher's ranks).",
        mixinStandardHelpOptions = true,
        description = {
            "Train a multi-task model from a YAML config.",
            "Writes <output>/<name>/: config.yaml, metrics.jsonl, checkpoints/, summary.json."
        })
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML run config (optional with --resume).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.steps=500 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue a run: its directory or a .ckpt file.")
    Path resume;

    @Option(
            names = {"-q", "--quiet"},
            description = "Warnings only; no progress bar.")
    boolean quiet;

    @Option(
            names = "--nproc",
            paramLabel = "N",
            description = "Data-parallel on this machine: start N worker processes (threads split between them)."
                    + " Under torchrun or a PyTorchJob leave it out: the launcher's environment says the rank.")
    int nproc = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    UnsealedOption unsealed = new UnsealedOption();

    @Override
    public Integer call() {
        unsealed.apply();
        Main.quiet(quiet);
        RunConfig cfg;
        if (config != null) {
            cfg = ConfigLoader.load(config, overrides);
        } else if (resume != null) {
            cfg = Run.resumedConfig(resume, overrides);
        } else {
            throw new UserInputException("train needs --config FILE (or --resume RUN)");
        }
        WorldInfo world = WorldInfo.fromEnvironment();
        if (LocalLauncher.wanted(nproc, world)) {
            List<String> args =
                    new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            int at = args.indexOf("--nproc");
            if (at >= 0) {
                args.remove(at + 1);
                args.remove(at);
            } else {
                args.removeIf(a -> a.startsWith("--nproc="));
            }
            if (args.isEmpty() || !args.get(0).equals("train")) {
                args.add(0, "train");
            }
            return new LocalLauncher(
                            nproc,
                            LocalLauncher.threadsPerWorker(cfg.threads(), nproc),
                            cfg.dist().timeoutS() + 30,
                            System.err)
                    .run(args);
        }
        if (world.rank() != 0) {
            Main.quiet(true); // rank 0 reports; the others speak only to warn
        }
        Run.Result r = Run.train(cfg, new RunOptions(resume, world.rank() == 0 && Main.progress(quiet), true, world));
        if (world.rank() != 0) {
            return r.fit().interrupted() ? Main.EXIT_SIGTERM : 0;
        }
        if (r.fit().interrupted()) {
            return Main.EXIT_SIGTERM; // stopped by SIGTERM/SIGINT with a checkpoint; Run logged how to continue
        }
        System.out.println();
        System.out.print(SummaryTable.render(r.test()));
        System.out.printf(
                "%nrun written to %s (%d steps, %.1f s)%n", r.dir(), r.fit().stepsDone(), r.seconds());
        return 0;
    }
}
