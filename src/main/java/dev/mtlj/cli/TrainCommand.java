package dev.mtlj.cli;

import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Run;
import dev.mtlj.run.RunOptions;
import dev.mtlj.run.SummaryTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlj train --config FILE [--set key=value]... [--resume RUN]}. */
@Command(
        name = "train",
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

    @Override
    public Integer call() {
        Main.quiet(quiet);
        RunConfig cfg;
        if (config != null) {
            cfg = ConfigLoader.load(config, overrides);
        } else if (resume != null) {
            Path ckpt = Files.isDirectory(resume) ? resume.resolve("checkpoints/latest.ckpt") : resume;
            String meta = CheckpointFile.readState(ckpt).metadata();
            if (meta == null) {
                throw new UserInputException("checkpoint '" + ckpt + "' carries no config; pass --config");
            }
            RunConfig stored = ConfigLoader.fromJson(meta, "checkpoint " + ckpt);
            cfg = ConfigLoader.parse(ConfigLoader.toYaml(stored), "checkpoint " + ckpt, overrides);
        } else {
            throw new UserInputException("train needs --config FILE (or --resume RUN)");
        }
        Run.Result r = Run.train(cfg, new RunOptions(resume, Main.progress(quiet)));
        System.out.println();
        System.out.print(SummaryTable.render(r.test()));
        System.out.printf(
                "%nrun written to %s (%d steps, %.1f s)%n", r.dir(), r.fit().stepsDone(), r.seconds());
        return 0;
    }
}
