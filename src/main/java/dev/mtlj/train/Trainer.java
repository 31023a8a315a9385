package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancer;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.checkpoint.TrainerState;
import dev.mtlj.data.DeviceData;
import dev.mtlj.dist.Collective;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.dist.RankFailedException;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.sample.TaskSampler;
import dev.mtlj.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Optimizer;

/**
 * Trains a {@link MultiTaskModel} with a {@link Balancer}: the loop, checkpoint save and resume. What one step does
 * is {@link TrainingStep} plus the balancer kind's strategy, chosen once here; where batches come from is a batch
 * source (joint or sampled); logging, validation, early stopping and checkpoints are listeners.
 *
 * <p>Memory: the trainer owns the optimizer, its parameter vectors, the loss window and the balancer's device state
 * (freed by {@link #close()}); it borrows the model and the data. Every step and evaluation batch runs in its own
 * PointerScope, so resident memory stays flat over long runs (docs/memory.md).
 *
 * <p>Determinism: batch order, libtorch's per-step seed and the learning rate are functions of (seed, step) and the
 * batch source's position, all checkpointed; a resumed run repeats the uninterrupted run's losses exactly on CPU.
 */
public final class Trainer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);
    private final MultiTaskModel model;
    private final Balancer balancer;
    private final TrainSpec spec;
    private final long seed;
    private final List<TaskSpec> tasks;
    private final Device device;
    private final StepParameters params;
    private final Optimizer optimizer;
    private final StepStrategy strategy;
    private final LossWindow window;
    private final BatchSource batches;
    private final TrainingStep step;
    private final Path checkpointDir;
    private final String metadata;
    private final String runId;
    private final EarlyStopping earlyStopping;
    private final double[] lastWeights;
    private List<TrainingListener> listeners = List.of();
    private long stepsDone;
    private long skippedSteps;
    private boolean stopRequested;
    private volatile boolean interruptRequested;
    private boolean stopAgreed;
    private final Collective collective;
    private final DistSpec dist;
    private final GradBuffer grads;
    private boolean closed;

    Trainer(TrainerBuilder b) {
        this.model = b.model;
        this.balancer = b.balancer;
        this.spec = b.spec;
        this.seed = b.seed;
        this.tasks = model.tasks();
        this.device = Engine.device(model.device());
        this.checkpointDir = b.checkpointDir;
        this.metadata = b.metadata;
        this.runId = b.runId;
        this.collective = b.collective;
        this.dist = b.dist;
        spec.freeze().forEach(part -> model.setFrozen(part, true));
        params = new StepParameters(model.network(), tasks.size());
        if (params.trainable.size() == 0) {
            params.close();
            throw new UserInputException(
                    "nothing to train: every parameter is frozen (train.freeze = " + spec.freeze() + ")");
        }
        try (PointerScope scope = new PointerScope()) {
            optimizer = Optimizers.create(spec.optimizer(), params.trainable).retainReference();
        }
        grads = collective.size() == 1
                ? null
                : new GradBuffer(
                        params.trainable,
                        tasks.size() + 1,
                        device,
                        model.dtype().scalarType());
        StepContext ctx = new StepContext(
                model.network(),
                tasks,
                params,
                device,
                model.dtype().scalarType(),
                spec.precision(),
                collective,
                grads);
        strategy = StepStrategy.of(balancer, ctx);
        batches = b.sampler == null
                ? new JointBatches(spec.batchSize(), seed)
                : sampled(b.sampler, b.tasksPerStep, b.batchSizes);
        window = new LossWindow(tasks.size(), device);
        step = new TrainingStep(ctx, strategy, spec, seed, optimizer, window, batches.needsLosses());
        earlyStopping = spec.earlyStopping() == null
                ? null
                : new EarlyStopping(
                        this, spec.earlyStopping(), checkpointDir == null ? null : checkpointDir.resolve("best.ckpt"));
        lastWeights = new double[tasks.size()];
        Arrays.fill(lastWeights, 1.0); // until the first step asks the balancer
    }

    private SampledBatches sampled(TaskSampler sampler, int tasksPerStep, int[] batchSizes) {
        if (!strategy.acceptsAbsentTasks()) {
            throw new UserInputException("sampled training trains only the drawn task(s) in each step, and balancer '"
                    + balancer.name() + "' needs every task in every step; with a sampler use balancer ew or fixed"
                    + " (or leave the sampler out for joint training)");
        }
        return new SampledBatches(
                sampler,
                tasksPerStep,
                batchSizes,
                tasks.stream().map(TaskSpec::name).toList(),
                seed);
    }

    /** Starts configuring a trainer of {@code model} (borrowed; on its device and dtype already) with {@code balancer}. */
    public static TrainerBuilder builder(MultiTaskModel model, Balancer balancer) {
        return new TrainerBuilder(model, balancer);
    }

    /** Trains until {@code spec.steps()} steps are done or early stopping fires; {@code val} may be null. */
    public FitResult fit(DeviceData train, DeviceData val) {
        return fit(train, val, List.of());
    }

    /**
     * As {@link #fit(DeviceData, DeviceData)}, with listeners (called before the trainer's own logging, validation,
     * early stopping and checkpoint listeners).
     */
    public FitResult fit(DeviceData train, DeviceData val, List<TrainingListener> extra) {
        check();
        List<TrainingListener> all = new ArrayList<>(extra);
        if (collective.size() > 1) {
            all.add(0, new ReplicaCheck(this, model.network(), collective, dist.checkEvery()));
        }
        all.add(new TrainLog(this, tasks, window, batches, this::lastWeights, spec.logEvery()));
        Validation validation = val == null ? null : new Validation(this, val, spec.evalEvery(), collective);
        if (validation != null) {
            all.add(validation);
        }
        if (earlyStopping != null) {
            all.add(earlyStopping);
        }
        if (checkpointDir != null) {
            all.add(new Checkpoints(this, checkpointDir, spec.checkpointEvery()));
        }
        listeners = List.copyOf(all);
        stopRequested = false;
        stopAgreed = false;
        try {
            listeners.forEach(l -> l.onStart(this));
            while (stepsDone < spec.steps() && !stopRequested && !stopping()) {
                long s = stepsDone;
                boolean capture = listeners.stream().anyMatch(l -> l.wantsOutputs(s));
                StepResult r = trainStep(train, capture);
                listeners.forEach(l -> l.onStep(r));
            }
            FitResult fr = new FitResult(
                    stepsDone,
                    stopRequested,
                    stopping() && stepsDone < spec.steps(),
                    earlyStopping == null ? -1 : earlyStopping.bestStep(),
                    validation == null ? null : validation.last(),
                    skippedSteps);
            listeners.forEach(l -> l.onEnd(fr));
            return fr;
        } catch (RuntimeException e) {
            if (!(e instanceof RankFailedException)) {
                collective.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            throw e;
        } finally {
            listeners = List.of();
        }
    }

    /** Whether to end after this step on request: at once in one process, where all ranks agreed in several. */
    private boolean stopping() {
        return collective.size() == 1 ? interruptRequested : stopAgreed;
    }

    /** One step on the next batch of {@code train} (for custom loops): no evaluation, logging or checkpoint. */
    public StepResult trainStep(DeviceData train) {
        check();
        return trainStep(train, false);
    }

    private StepResult trainStep(DeviceData train, boolean capture) {
        model.network().train(true);
        StepResult r;
        try (PointerScope scope = new PointerScope()) {
            int[] rows = batches.next(stepsDone, train);
            r = step.run(train, rows, stepsDone, batches.epoch(), capture, interruptRequested);
            stopAgreed |= step.stopAgreed();
        }
        if (r.skipped()) {
            skippedSteps++;
        } else {
            System.arraycopy(r.balance().weights(), 0, lastWeights, 0, lastWeights.length);
        }
        if (batches.needsLosses() && !r.skipped()) {
            batches.observeLosses(r.step(), r.losses());
        }
        stepsDone++;
        return r;
    }

    /** Sends a report to the listeners of the running {@link #fit} (validation reports also reach the sampler). */
    void publish(Report r) {
        if (r.split().equals("val")) {
            batches.observeScores(r);
        }
        listeners.forEach(l -> l.onReport(r));
    }

    /** Ends the running {@link #fit} after the current step (its checkpoint listener still writes). */
    void requestStop() {
        stopRequested = true;
    }

    /**
     * Asks the running (or next) {@link #fit} to end after the step in progress; {@code fit} then writes its checkpoint
     * (when it has a checkpoint folder) and returns with {@link FitResult#interrupted()}. Safe from any thread, e.g. a
     * shutdown hook on SIGTERM; returns at once.
     */
    public void stopAfterCurrentStep() {
        interruptRequested = true;
    }

    /** Steps completed so far. */
    public long stepsDone() {
        return stepsDone;
    }

    /** The step budget ({@code train.steps}). */
    public long totalSteps() {
        return spec.steps();
    }

    /** The balancer's most recent weights (ones before the first step). */
    public double[] lastWeights() {
        return lastWeights.clone();
    }

    /** Sampled training: draws per task since the start (null in joint training). */
    public long[] sampledCounts() {
        return batches.drawTotals();
    }

    /** Sampled training: the sampler's current distribution (null in joint training). */
    public double[] samplerProbabilities() {
        return batches.probabilities(stepsDone);
    }

    /** Evaluates the current model on a split. */
    public Report evaluate(DeviceData data, String split) {
        check();
        return evaluate(data, split, stepsDone - 1, Double.NaN);
    }

    Report evaluate(DeviceData data, String split, long atStep, double lr) {
        return Evaluator.evaluate(model, data, spec.evalBatchSize(), lastWeights, atStep, split, lr, spec.precision());
    }

    /** Saves model, optimizer and trainer state atomically. */
    public void save(Path path) throws IOException {
        check();
        BatchSource.Position p = batches.position();
        TrainerState state = new TrainerState(
                stepsDone,
                seed,
                p.streamEpoch(),
                p.streamOffset(),
                balancer.name(),
                balancer.state(),
                earlyStopping == null ? null : earlyStopping.state(),
                window.sums(),
                window.counts(),
                metadata,
                p.sampling(),
                p.samplerState(),
                model.signature(),
                skippedSteps,
                lastWeights.clone(),
                runId);
        CheckpointFile.save(path, model.network(), optimizer, state, strategy.tensors());
    }

    /**
     * Saves and tells the listeners of the running fit. A diverged model is never saved; a failed write removes its
     * temporary file, leaves the previous checkpoint as it was, and stops the run or, with
     * {@code train.on_checkpoint_error: warn}, is logged and skipped (returns false).
     */
    boolean checkpoint(Path path) {
        for (double s : window.sums()) {
            if (!Double.isFinite(s)) {
                throw new DivergenceException("the losses became " + s + " before step " + stepsDone + "; no checkpoint"
                        + " is written from a diverged model (the last one, if any, is unchanged); lower the learning"
                        + " rate, enable train.grad_clip, or set train.on_nonfinite: skip");
            }
        }
        try {
            save(path);
        } catch (IOException e) {
            String msg = "could not write checkpoint " + path + " after step " + stepsDone + ": " + describe(e)
                    + "; the previous checkpoint there, if any, is unchanged";
            if (spec.onCheckpointError() == CheckpointFailurePolicy.WARN) {
                LOG.warn("{} (train.on_checkpoint_error: warn, training goes on)", msg);
                return false;
            }
            throw new CheckpointWriteException(msg, e);
        }
        listeners.forEach(l -> l.onCheckpoint(stepsDone, path));
        return true;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                        ? f.getReason()
                        : e.getMessage();
    }

    /** Steps skipped so far because a loss or gradient was not finite ({@code train.on_nonfinite: skip}). */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Restores model, optimizer and trainer state from a checkpoint written by {@link #save}. */
    public void resume(Path path) {
        check();
        TrainerState s = CheckpointFile.readState(path);
        if (s.seed() != seed) {
            throw new UserInputException(
                    "checkpoint '" + path + "' was made with seed " + s.seed() + ", this run uses " + seed);
        }
        if (!s.balancer().equals(balancer.name())) {
            throw new UserInputException("checkpoint '" + path + "' was made with balancer '" + s.balancer()
                    + "', this run uses '" + balancer.name() + "'");
        }
        try {
            batches.restore(
                    new BatchSource.Position(s.streamEpoch(), s.streamOffset(), s.sampling(), s.samplerState()));
        } catch (UserInputException e) {
            throw new UserInputException("checkpoint '" + path + "': " + e.getMessage());
        }
        CheckpointFile.load(path, model.network(), optimizer, device);
        try (PointerScope scope = new PointerScope()) {
            strategy.load(CheckpointFile.readTensors(path, device));
        }
        stepsDone = s.stepsDone();
        skippedSteps = s.skippedSteps();
        if (s.lastWeights() != null && s.lastWeights().length == lastWeights.length) {
            System.arraycopy(s.lastWeights(), 0, lastWeights, 0, lastWeights.length);
        }
        balancer.restore(s.balancerState());
        if (earlyStopping != null && s.earlyStopping() != null) {
            earlyStopping.restore(s.earlyStopping());
        }
        window.restore(s.windowLossSums(), s.windowCounts(), device);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("Trainer is closed");
        }
    }

    /** Frees the optimizer state, the loss window and the balancer's device state; the model stays with its owner. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (grads != null) {
                grads.close(); // before the parameter vectors its hooks are registered on
            }
            optimizer.close();
            params.close();
            strategy.close();
            window.close();
        }
    }
}
