package dev.mtlj.run;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.checkpoint.AtomicFiles;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.config.TaskOverride;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.task.LossKind;
import dev.mtlj.task.MetricKind;
import dev.mtlj.task.TaskSpec;
import dev.mtlj.train.FitResult;
import dev.mtlj.train.Report;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainerBuilder;
import dev.mtlj.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from a {@link RunConfig}: data, model, balancer, trainer, and the run directory
 * {@code <output>/<name>/} with {@code config.yaml}, {@code metrics.jsonl}, {@code checkpoints/} and
 * {@code summary.json}. Native objects are created here and closed before {@link #train} returns.
 */
public final class Run {
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);

    /**
     * What a run produced.
     *
     * @param dir     the run directory
     * @param test    final test-split report
     * @param fit     how training ended
     * @param seconds wall time of training and evaluation
     */
    public record Result(Path dir, Report test, FitResult fit, double seconds) {}

    private Run() {}

    /** Trains a fresh run per {@code config}, without a progress bar. */
    public static Result train(RunConfig config) {
        return train(config, RunOptions.defaults());
    }

    /**
     * Trains per {@code config}. With {@link RunOptions#resume()} (a run directory or checkpoint file) continues that
     * run in its directory; otherwise creates a fresh directory (a numeric suffix avoids overwriting an earlier run).
     */
    public static Result train(RunConfig config, RunOptions options) {
        long t0 = System.nanoTime();
        Engine.configureThreads(config.threads());
        DataSplits data = prepare(config);
        Path checkpoint = options.resume() == null ? null : checkpointIn(options.resume(), "latest.ckpt");
        Path dir = checkpoint != null ? checkpoint.toAbsolutePath().getParent().getParent() : freshDir(config);
        Path ckptDir = dir.resolve("checkpoints");
        try {
            Files.createDirectories(ckptDir);
        } catch (IOException e) {
            throw new UserInputException("cannot write run directory " + dir + ": " + e.getMessage());
        }
        try (RunLock lock = RunLock.acquire(dir)) {
            return train(config, options, data, checkpoint, dir, t0);
        }
    }

    /** The run proper, while this process holds the run folder's lock. */
    private static Result train(
            RunConfig config, RunOptions options, DataSplits data, Path checkpoint, Path dir, long t0) {
        DeviceSpec device = Engine.resolve(config.deviceSpec());
        DType dtype = config.dtypeSpec();
        Path ckptDir = dir.resolve("checkpoints");
        try {
            AtomicFiles.writeString(dir.resolve("config.yaml"), ConfigLoader.toYaml(config));
        } catch (IOException e) {
            throw new UserInputException("cannot write run directory " + dir + ": " + e.getMessage());
        }
        Engine.seed(config.seed());
        FitResult fit;
        Report test;
        long[] drawn = null;
        double[] target = null;
        try (Balancer balancer = balancer(config, data);
                MultiTaskModel model = MultiTaskModel.build(config.model(), exampleShape(data), data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), device, dtype);
                DeviceData val = new DeviceData(data.val(), data.tasks(), device, dtype);
                DeviceData testData = new DeviceData(data.test(), data.tasks(), device, dtype)) {
            model.to(device, dtype);
            LOG.info(
                    "run {}: {} tasks, {} parameters ({} shared), balancer {}, device {}, {} threads",
                    dir,
                    data.tasks().size(),
                    model.parameterCount(),
                    model.sharedParameterCount(),
                    balancer.name(),
                    device,
                    Engine.threads());
            TrainerBuilder builder = Trainer.builder(model, balancer)
                    .spec(config.train())
                    .seed(config.seed())
                    .checkpointDir(ckptDir)
                    .metadata(ConfigLoader.toJson(config));
            if (config.sampler() != null) {
                builder.sampled(sampler(config, data), config.tasksPerStep(), taskBatchSizes(config, data));
            }
            try (Trainer trainer = builder.build()) {
                Path metrics = dir.resolve("metrics.jsonl");
                if (checkpoint != null) {
                    trainer.resume(checkpoint);
                    MetricsJsonl.truncate(metrics, trainer.stepsDone());
                    LOG.info("resumed from {} at step {}", checkpoint, trainer.stepsDone());
                }
                try (MetricsJsonl jsonl = new MetricsJsonl(
                        metrics,
                        balancer.name(),
                        balancer.nativeScale().kappa(data.tasks().size()))) {
                    List<TrainingListener> listeners = new ArrayList<>(List.of(jsonl, new LogListener()));
                    if (options.progress()) {
                        listeners.add(new ProgressListener());
                    }
                    fit = trainer.fit(train, val, listeners);
                    Path best = ckptDir.resolve("best.ckpt");
                    if (config.train().earlyStopping() != null && Files.exists(best)) {
                        CheckpointFile.load(best, model.network(), null, Engine.device(device));
                        LOG.info("restored the best weights (step {}) for the test evaluation", fit.bestStep());
                    }
                    test = trainer.evaluate(testData, "test");
                    jsonl.onReport(test);
                    drawn = trainer.sampledCounts();
                    target = trainer.samplerProbabilities();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunSummary.write(dir, config, test, fit, seconds, drawn, target);
        return new Result(dir, test, fit, seconds);
    }

    /**
     * Evaluates a checkpoint (file, or run directory: its best.ckpt if present, else latest.ckpt) on a split,
     * rebuilding data and model from the config stored inside the checkpoint.
     */
    public static Report evaluate(Path checkpointOrDir, String split) {
        Path ckpt = CheckpointFile.resolve(checkpointOrDir);
        String meta = CheckpointFile.readState(ckpt).metadata();
        if (meta == null) {
            throw new UserInputException(
                    "checkpoint '" + ckpt + "' carries no run config, so its data and model cannot be rebuilt");
        }
        RunConfig config = ConfigLoader.fromJson(meta, "checkpoint " + ckpt);
        Engine.configureThreads(config.threads());
        DeviceSpec device = Engine.resolve(config.deviceSpec());
        DataSplits data = prepare(config);
        var splitData = switch (split) {
            case "train" -> data.train();
            case "val" -> data.val();
            case "test" -> data.test();
            default -> throw new UserInputException("split '" + split + "' is not valid; allowed: train, val, test");
        };
        try (MultiTaskModel model = MultiTaskModel.build(config.model(), exampleShape(data), data.tasks());
                DeviceData d = new DeviceData(splitData, data.tasks(), device, config.dtypeSpec())) {
            model.to(device, config.dtypeSpec());
            CheckpointFile.load(ckpt, model.network(), null, Engine.device(device));
            double[] unknownWeights = new double[data.tasks().size()]; // a checkpoint does not record the last weights
            java.util.Arrays.fill(unknownWeights, Double.NaN);
            return dev.mtlj.train.Evaluator.evaluate(
                    model,
                    d,
                    config.train().evalBatchSize(),
                    unknownWeights,
                    CheckpointFile.readState(ckpt).stepsDone() - 1,
                    split,
                    Double.NaN,
                    config.train().precision());
        }
    }

    /** The configured balancer for these tasks. */
    public static Balancer balancer(RunConfig config, DataSplits data) {
        BalancerContext ctx =
                BalancerContext.of(data.tasks(), config.train().optimizer().lr(), config.seed());
        return Balancers.create(config.balancerType(), config.balancerParams(), ctx);
    }

    /** Loads the data and applies the config's per-task overrides. */
    public static DataSplits prepare(RunConfig config) {
        DataSplits raw = config.data().load(config.seed());
        List<String> names = raw.tasks().stream().map(TaskSpec::name).toList();
        for (String k : config.tasks().keySet()) {
            if (!names.contains(k)) {
                throw new UserInputException("tasks." + k + " is not a task of this data; tasks: " + names);
            }
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (TaskSpec t : raw.tasks()) {
            TaskOverride o = config.tasks().get(t.name());
            if (o == null) {
                tasks.add(t);
                continue;
            }
            LossKind loss = o.loss() == null ? t.loss() : LossKind.parse(o.loss());
            List<MetricKind> metrics = o.metrics() == null
                    ? t.metrics()
                    : o.metrics().stream().map(MetricKind::parse).toList();
            tasks.add(new TaskSpec(
                    t.name(),
                    t.kind(),
                    t.outputs(),
                    loss,
                    o.huberDelta() == null ? t.huberDelta() : o.huberDelta(),
                    metrics));
        }
        for (TaskSpec t : tasks) {
            if (raw.train().labels().get(t.name()).labelled() == 0) { // nothing would ever train its head
                throw new UserInputException("task '" + t.name() + "' has no label in the training split of "
                        + config.data().describe() + "; give it labelled rows, or leave the task out");
            }
        }
        return new DataSplits(tasks, raw.train(), raw.val(), raw.test());
    }

    private static long[] exampleShape(DataSplits data) {
        return java.util.Arrays.stream(data.train().exampleShape())
                .asLongStream()
                .toArray();
    }

    private static Path checkpointIn(Path p, String name) {
        Path c = Files.isDirectory(p) ? p.resolve("checkpoints").resolve(name) : p;
        if (!Files.isRegularFile(c)) {
            throw new UserInputException("no checkpoint at '" + c + "' (give a run directory or a .ckpt file)");
        }
        return c;
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

    /** The configured task sampler, over each task's labelled training examples. */
    public static dev.mtlj.sample.TaskSampler sampler(RunConfig config, DataSplits data) {
        List<String> names = data.tasks().stream().map(TaskSpec::name).toList();
        long[] sizes = names.stream()
                .mapToLong(n -> data.train().labels().get(n).labelled())
                .toArray();
        return dev.mtlj.sample.TaskSamplers.create(
                (String) config.sampler().get("type"),
                config.samplerParams(),
                names,
                sizes,
                dev.mtlj.random.Rng.derived(config.seed(), 77).nextLong());
    }

    /** Per task: tasks.&lt;name&gt;.batch_size, else train.batch_size. */
    static int[] taskBatchSizes(RunConfig config, DataSplits data) {
        return data.tasks().stream()
                .mapToInt(t -> {
                    var o = config.tasks().get(t.name());
                    return o != null && o.batchSize() != null
                            ? o.batchSize()
                            : config.train().batchSize();
                })
                .toArray();
    }

    /** Logs validation reports (INFO) so quiet runs still leave a trace. */
    private static final class LogListener implements TrainingListener {
        @Override
        public void onReport(Report r) {
            if (!r.split().equals("train")) {
                LOG.info(
                        "step {} {}: total loss {}",
                        r.step() + 1,
                        r.split(),
                        String.format(java.util.Locale.ROOT, "%.5g", r.totalLoss()));
            }
        }
    }
}
