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
import dev.mtlj.dist.Collective;
import dev.mtlj.dist.WorldInfo;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.RunStatus;
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
     * @param test    final test-split report; null when training was stopped before its last step
     *                {@link FitResult#interrupted() on request}, in which case no summary is written either
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
     * When {@link RunOptions#world()} has several processes, this process trains its rank of a data-parallel run:
     * rank 0 owns the run folder (lock, metrics, checkpoints, summary), the others train beside it and return a result
     * without a test report.
     */
    public static Result train(RunConfig config, RunOptions options) {
        long t0 = System.nanoTime();
        Engine.configureThreads(config.threads());
        WorldInfo world = options.world();
        DeviceSpec device = deviceFor(config, world);
        DataSplits data = prepare(config);
        validate(config, data);
        try (Collective collective = Collective.join(world, config.dist(), device.kind() == DeviceSpec.Kind.CUDA)) {
            if (collective.rank() != 0) {
                Path dir = Path.of(collective.share("run_dir", null));
                String ckpt = collective.share("checkpoint", null);
                return train(
                        config,
                        options,
                        data,
                        new Place(dir, ckpt.isEmpty() ? null : Path.of(ckpt), null),
                        t0,
                        collective,
                        device);
            }
            try (RunFolder folder = RunFolder.open(config, options.resume(), world)) {
                collective.share("run_dir", folder.dir().toString());
                collective.share(
                        "checkpoint",
                        folder.checkpoint() == null ? "" : folder.checkpoint().toString());
                try {
                    return train(
                            config,
                            options,
                            data,
                            new Place(folder.dir(), folder.checkpoint(), folder.runId()),
                            t0,
                            collective,
                            device);
                } catch (RuntimeException e) {
                    folder.discardIfUnused();
                    throw e;
                }
            }
        }
    }

    /**
     * The config a resumed run continues with, {@code overrides} applied: the one stored in the checkpoint, or for a run
     * folder stopped before its first checkpoint, the folder's {@code config.yaml}.
     */
    public static RunConfig resumedConfig(Path resume, List<String> overrides) {
        Path ckpt = RunFolder.checkpointIn(resume);
        if (ckpt == null) {
            return ConfigLoader.load(resume.resolve("config.yaml"), overrides);
        }
        String meta = CheckpointFile.readState(ckpt).metadata();
        if (meta == null) {
            throw new UserInputException("checkpoint '" + ckpt + "' carries no config; pass --config");
        }
        RunConfig stored = ConfigLoader.fromJson(meta, "checkpoint " + ckpt);
        return ConfigLoader.parse(ConfigLoader.toYaml(stored), "checkpoint " + ckpt, overrides);
    }

    /** Where a rank trains: the run folder, the checkpoint it resumes (or null) and the run's identity (rank 0). */
    private record Place(Path dir, Path checkpoint, String runId) {}

    /**
     * Refuses, before a run folder exists, what would stop the run at its first step: the balancer and its parameters,
     * the sampler, a batch larger than the training split.
     */
    private static void validate(RunConfig config, DataSplits data) {
        balancer(config, data).close();
        if (config.sampler() != null) {
            sampler(config, data);
        } else if (config.train().batchSize() > data.train().size()) {
            throw new UserInputException("train.batch_size " + config.train().batchSize() + " exceeds the "
                    + data.train().size() + " training examples; lower train.batch_size");
        }
    }

    /** The device of this rank: in a data-parallel run on CUDA without an explicit index, GPU local-rank. */
    private static DeviceSpec deviceFor(RunConfig config, WorldInfo world) {
        DeviceSpec resolved = Engine.resolve(config.deviceSpec());
        if (world.distributed()
                && resolved.kind() == DeviceSpec.Kind.CUDA
                && !config.device().contains(":")) {
            int count = org.bytedeco.pytorch.global.torch.cuda_device_count();
            return DeviceSpec.parse("cuda:" + world.localRank() % Math.max(1, count));
        }
        return resolved;
    }

    /** The run, tracked on MLflow by rank 0 when configured: FINISHED, KILLED (stopped early) or FAILED. */
    private static Result train(
            RunConfig config,
            RunOptions options,
            DataSplits data,
            Place place,
            long t0,
            Collective collective,
            DeviceSpec device) {
        try (MlflowTracking mlflow = collective.rank() == 0 ? MlflowTracking.open(config, place.dir()) : null) {
            Result r = null;
            try {
                r = train(config, options, data, place, t0, collective, device, mlflow);
                return r;
            } finally {
                if (mlflow != null) {
                    mlflow.finish(
                            place.dir(),
                            r == null
                                    ? RunStatus.FAILED
                                    : r.fit().interrupted() ? RunStatus.KILLED : RunStatus.FINISHED,
                            30);
                }
            }
        }
    }

    /** The run proper; rank 0 holds the run folder's lock and alone writes into it. */
    private static Result train(
            RunConfig config,
            RunOptions options,
            DataSplits data,
            Place place,
            long t0,
            Collective collective,
            DeviceSpec device,
            MlflowTracking mlflow) {
        boolean lead = collective.rank() == 0;
        DType dtype = config.dtypeSpec();
        Path dir = place.dir();
        Path checkpoint = place.checkpoint();
        Path ckptDir = dir.resolve("checkpoints");
        Engine.seed(config.seed());
        FitResult fit;
        Report test;
        long[] drawn = null;
        double[] target = null;
        try (Balancer balancer = balancer(config, data);
                MultiTaskModel model = MultiTaskModel.build(config.model(), exampleShape(data), data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), device, dtype);
                DeviceData val = new DeviceData(data.val(), data.tasks(), device, dtype)) {
            model.to(device, dtype);
            LOG.info(
                    "run {}: {} tasks, {} parameters ({} shared), balancer {}, device {}, {} threads{}",
                    dir,
                    data.tasks().size(),
                    model.parameterCount(),
                    model.sharedParameterCount(),
                    balancer.name(),
                    device,
                    Engine.threads(),
                    collective.size() > 1 ? ", " + collective.size() + " ranks" : "");
            TrainerBuilder builder = Trainer.builder(model, balancer)
                    .spec(config.train())
                    .seed(config.seed())
                    .checkpointDir(lead ? ckptDir : null)
                    .metadata(ConfigLoader.toJson(config))
                    .runId(place.runId())
                    .distributed(collective, config.dist());
            if (config.sampler() != null) {
                builder.sampled(sampler(config, data), config.tasksPerStep(), taskBatchSizes(config, data));
            }
            try (Trainer trainer = builder.build()) {
                Path metrics = dir.resolve("metrics.jsonl");
                if (checkpoint != null) {
                    trainer.resume(checkpoint);
                    LOG.info("resumed from {} at step {}", checkpoint, trainer.stepsDone());
                }
                if (lead) { // only once the checkpoint loaded: a refused resume leaves the folder as it was
                    try {
                        AtomicFiles.writeString(dir.resolve("config.yaml"), ConfigLoader.toYaml(config));
                        MetricsJsonl.truncate(metrics, trainer.stepsDone());
                    } catch (IOException e) {
                        throw new RunWriteException("cannot write in run folder " + dir + ": " + e.getMessage(), e);
                    }
                }
                try (MetricsJsonl jsonl = lead
                                ? new MetricsJsonl(
                                        metrics,
                                        balancer.name(),
                                        balancer.nativeScale()
                                                .kappa(data.tasks().size()))
                                : null;
                        TensorBoardEvents tensorboard = lead ? tensorBoard(dir) : null) {
                    List<TrainingListener> listeners = new ArrayList<>();
                    if (tensorboard != null) {
                        listeners.add(tensorboard);
                    }
                    if (mlflow != null) {
                        listeners.add(mlflow);
                    }
                    if (lead) {
                        listeners.add(jsonl);
                        listeners.add(new LogListener());
                        if (options.progress()) {
                            listeners.add(new ProgressListener());
                        }
                    }
                    try (SignalStop signals = options.stopOnSignal() ? new SignalStop(trainer) : null) {
                        fit = trainer.fit(train, val, listeners);
                        if (fit.interrupted()) {
                            if (lead) {
                                LOG.warn(
                                        "stopped{} after step {}; {} holds it; continue with: mtlj train --resume {}",
                                        signals != null && signals.signalled() ? " by a signal" : " on request",
                                        fit.stepsDone(),
                                        ckptDir.resolve("latest.ckpt"),
                                        dir);
                            }
                            return new Result(dir, null, fit, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    if (!lead) {
                        return new Result(dir, null, fit, (System.nanoTime() - t0) / 1e9);
                    }
                    Path best = ckptDir.resolve("best.ckpt");
                    if (config.train().earlyStopping() != null && Files.exists(best)) {
                        CheckpointFile.load(best, model.network(), null, Engine.device(device));
                        LOG.info("restored the best weights (step {}) for the test evaluation", fit.bestStep());
                    }
                    try (DeviceData testData = new DeviceData(data.test(), data.tasks(), device, dtype)) {
                        test = trainer.evaluate(testData, "test");
                    }
                    jsonl.onReport(test);
                    if (tensorboard != null) {
                        tensorboard.onReport(test);
                    }
                    if (mlflow != null) {
                        mlflow.onReport(test);
                    }
                    drawn = trainer.sampledCounts();
                    target = trainer.samplerProbabilities();
                }
            }
        } catch (IOException e) {
            throw new RunWriteException("cannot write in run folder " + place.dir() + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunSummary.write(dir, config, test, fit, seconds, drawn, target);
        return new Result(dir, test, fit, seconds);
    }

    /** The run's TensorBoard writer, or null (with a warning) where its folder cannot be written: training goes on. */
    private static TensorBoardEvents tensorBoard(Path dir) {
        try {
            return new TensorBoardEvents(dir.resolve("tensorboard"));
        } catch (IOException e) {
            LOG.warn("TensorBoard events: cannot write in {} ({}); the run goes on without them", dir, e.getMessage());
            return null;
        }
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
            double[] saved = CheckpointFile.readState(ckpt).lastWeights();
            double[] weights = new double[data.tasks().size()];
            java.util.Arrays.fill(weights, Double.NaN); // checkpoints before 0.2 did not record them
            if (saved != null && saved.length == weights.length) {
                System.arraycopy(saved, 0, weights, 0, weights.length);
            }
            return dev.mtlj.train.Evaluator.evaluate(
                    model,
                    d,
                    config.train().evalBatchSize(),
                    weights,
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
