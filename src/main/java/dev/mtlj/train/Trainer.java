package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balance;
import dev.mtlj.balance.BalanceInput;
import dev.mtlj.balance.LossBalancer;
import dev.mtlj.balance.Need;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.checkpoint.TrainerState;
import dev.mtlj.data.Batch;
import dev.mtlj.data.BatchStream;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Autocast;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.random.Rng;
import dev.mtlj.rowwise.RowAggregator;
import dev.mtlj.task.Losses;
import dev.mtlj.task.TaskMetrics;
import dev.mtlj.task.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Joint multi-task training: each step draws one batch holding every task's labels, computes the task
 * losses and exactly what the {@link LossBalancer} {@linkplain LossBalancer#needs() needs} (loss values,
 * last-shared-layer norms, the Gramian of task gradients on the shared parameters or representation, the
 * Jacobian rows, post-step losses; see {@link GradientProbe}), then either backpropagates Σ_i w_i L_i
 * (loss weighting) or writes d = Jᵀw into the shared parameters' gradients and h_i·∂L_i/∂φ_i into head i's
 * (gradient aggregation), clips and steps the optimizer.
 *
 * <p>Memory: the trainer owns the optimizer and a small loss accumulator (retained, freed by {@link #close()});
 * it borrows the model and data. Every step and every evaluation batch runs in its own PointerScope, so
 * resident memory stays flat over long runs (docs/memory.md).
 *
 * <p>Determinism: batches come from a {@link BatchStream} whose position is checkpointed, libtorch's
 * generator is re-seeded from (seed, step) before each step, and the learning rate is a function of the step;
 * so a run resumed from a checkpoint repeats the uninterrupted run's losses exactly on CPU.
 */
public final class Trainer implements AutoCloseable {
    private final MultiTaskModel model;
    private final LossBalancer balancer;
    private final TrainSpec spec;
    private final Device device;
    private final torch.ScalarType dtype;
    private final long seed;
    private final List<TaskSpec> tasks;
    private final Optimizer optimizer;
    private final TensorVector trainable;
    private final TensorVector sharedTrainable;
    private final List<TensorVector> headTrainable = new ArrayList<>();
    private final Set<Need> needs;
    private final Tensor windowLossSums;
    private final EarlyStopping earlyStopping;
    private boolean readLosses;
    private Sampling sampling;
    private long[] windowCounts;
    private long stepsDone;
    private int streamEpoch;
    private int streamOffset;
    private double[] lastWeights;
    private BatchStream stream;
    private Path checkpointDir;
    private String metadata;
    private boolean closed;

    /**
     * @param model    the model to train (borrowed; already on {@code device} in {@code dtype})
     * @param balancer loss balancer
     * @param spec     loop settings; {@code spec.freeze()} is applied to the model here
     * @param device   training device
     * @param dtype    parameter dtype
     * @param seed     run seed (batch order and per-step libtorch seeds)
     */
    public Trainer(MultiTaskModel model, LossBalancer balancer, TrainSpec spec, Device device, torch.ScalarType dtype,
                   long seed) {
        this.model = model;
        this.balancer = balancer;
        this.spec = spec;
        this.device = device;
        this.dtype = dtype;
        this.seed = seed;
        this.tasks = model.tasks();
        this.needs = EnumSet.noneOf(Need.class);
        this.needs.addAll(balancer.needs());
        this.readLosses = needs.contains(Need.LOSS_VALUES);
        spec.freeze().forEach(part -> model.setFrozen(part, true));
        this.earlyStopping = spec.earlyStopping() == null ? null : new EarlyStopping(spec.earlyStopping());
        try (PointerScope scope = new PointerScope()) {
            trainable = model.trainableParameters().retainReference();
            if (trainable.size() == 0) {
                throw new UserInputException("nothing to train: every parameter is frozen (train.freeze = " + spec.freeze() + ")");
            }
            optimizer = Optimizers.create(spec.optimizer(), trainable).retainReference();
            sharedTrainable = requiringGrad(model.sharedParameters()).retainReference();
            for (int i = 0; i < tasks.size(); i++) {
                headTrainable.add(requiringGrad(model.taskParameters(i)).retainReference());
            }
            if (needs.contains(Need.GRAMIAN_REPRESENTATION) && !model.sharing().supportsRepresentationGradients()) {
                throw new UserInputException("balancer '" + balancer.name() + "' differentiates w.r.t. the shared representation,"
                        + " which cannot reach every shared parameter of this architecture; use the parameter-level variant");
            }
            if (needs.contains(Need.JACOBIAN) && !(balancer instanceof RowAggregator)) {
                throw new IllegalArgumentException("balancer '" + balancer.name() + "' declares JACOBIAN but is no RowAggregator");
            }
            boolean gradientNeeds = needs.contains(Need.GRAMIAN_SHARED) || needs.contains(Need.LAST_SHARED_NORMS)
                    || needs.contains(Need.JACOBIAN);
            if (gradientNeeds && sharedTrainable.size() == 0) {
                throw new UserInputException("balancer '" + balancer.name() + "' needs gradients of the shared parameters,"
                        + " but they are all frozen (train.freeze = " + spec.freeze() + ")");
            }
            if (needs.contains(Need.LAST_SHARED_NORMS) && !model.sharing().lastSharedWeight().requires_grad()) {
                throw new UserInputException("balancer '" + balancer.name() + "' needs the last shared layer's gradient,"
                        + " but that layer is frozen");
            }
            windowLossSums = torch.zeros(tasks.size()).to(device, torch.ScalarType.Double).retainReference();
        }
        lastWeights = new double[tasks.size()];
        java.util.Arrays.fill(lastWeights, 1.0); // until the first step asks the balancer
        windowCounts = new long[tasks.size()];
    }

    private static TensorVector requiringGrad(TensorVector ps) {
        TensorVector out = new TensorVector();
        for (long i = 0; i < ps.size(); i++) {
            if (ps.get(i).requires_grad()) {
                out.push_back(ps.get(i));
            }
        }
        return out;
    }

    /**
     * Switches to sampled training (the task scheduler): each step draws {@code tasksPerStep} tasks with
     * {@code sampler} and trains on batches from those tasks' own streams over their labelled rows (task k's batch
     * size {@code batchSizes[k]}); the other tasks are absent from the step. Only balancers that accept absent tasks
     * (ew, fixed) combine with it; the others are refused here.
     */
    public Trainer sampling(dev.mtlj.sample.TaskSampler sampler, int tasksPerStep, int[] batchSizes) {
        check();
        if (!balancer.acceptsAbsentTasks()) {
            throw new UserInputException("sampled training trains only the drawn task(s) in each step, and balancer '"
                    + balancer.name() + "' needs every task in every step; with a sampler use balancer ew or fixed"
                    + " (or leave the sampler out for joint training)");
        }
        if (tasksPerStep < 1 || batchSizes.length != tasks.size()) {
            throw new IllegalArgumentException("tasksPerStep " + tasksPerStep + ", " + batchSizes.length + " batch sizes");
        }
        sampling = new Sampling(sampler, tasksPerStep, batchSizes, tasks.stream().map(TaskSpec::name).toList(), seed);
        readLosses |= sampler.needsLosses();
        return this;
    }

    /** Sampled training: draws per task since the start (null in joint training). */
    public long[] sampledCounts() {
        return sampling == null ? null : sampling.totals();
    }

    /** Sampled training: the sampler's current distribution (null in joint training). */
    public double[] samplerProbabilities() {
        return sampling == null ? null : sampling.sampler().probabilities(stepsDone);
    }

    /** Where {@link #fit} writes {@code latest.ckpt} (and {@code best.ckpt}); null disables checkpoints. */
    public Trainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Opaque JSON stored in every checkpoint (a run stores its resolved config). */
    public Trainer metadata(String json) {
        this.metadata = json;
        return this;
    }

    /** Steps completed so far. */
    public long stepsDone() {
        return stepsDone;
    }

    /** The balancer's most recent weights. */
    public double[] lastWeights() {
        return lastWeights.clone();
    }

    /**
     * Trains until {@code spec.steps()} steps are done or early stopping fires.
     *
     * @param train training data (borrowed)
     * @param val   validation data (borrowed), or null to skip evaluation
     */
    public FitResult fit(DeviceData train, DeviceData val, List<TrainingListener> listeners) {
        check();
        long total = spec.steps();
        listeners.forEach(l -> l.onStart(stepsDone, total, tasks.stream().map(TaskSpec::name).toList()));
        Report lastVal = null;
        boolean stopped = false;
        while (stepsDone < total && !stopped) {
            long step = stepsDone;
            boolean logNow = (step + 1) % spec.logEvery() == 0 || step + 1 == total;
            List<float[][]> captured = logNow ? new ArrayList<>() : null;
            StepResult result = trainStep(train, captured);
            listeners.forEach(l -> l.onStep(result));
            if (logNow) {
                Report r = trainReport(step, result.lr(), captured);
                listeners.forEach(l -> l.onReport(r));
            }
            boolean evalNow = val != null && ((spec.evalEvery() > 0 && stepsDone % spec.evalEvery() == 0) || stepsDone == total);
            if (evalNow) {
                lastVal = Evaluator.evaluate(model, val, spec.evalBatchSize(), lastWeights, step, "val", result.lr(),
                        spec.precision());
                Report v = lastVal;
                if (sampling != null) {
                    sampling.sampler().observeScores(scores(v));
                }
                listeners.forEach(l -> l.onReport(v));
                if (earlyStopping != null) {
                    if (earlyStopping.update(v) && checkpointDir != null) {
                        save(checkpointDir.resolve("best.ckpt"), listeners);
                    }
                    stopped = earlyStopping.shouldStop();
                }
            }
            boolean checkpointNow = checkpointDir != null
                    && ((spec.checkpointEvery() > 0 && stepsDone % spec.checkpointEvery() == 0) || stepsDone == total || stopped);
            if (checkpointNow) {
                save(checkpointDir.resolve("latest.ckpt"), listeners);
            }
        }
        FitResult fr = new FitResult(stepsDone, stopped, earlyStopping == null ? -1 : earlyStopping.bestStep(), lastVal);
        listeners.forEach(l -> l.onEnd(fr));
        return fr;
    }

    /**
     * One training step on the next batch of {@code train} (for custom loops; {@link #fit} uses it too): its own
     * PointerScope, batch order continuing the checkpointable stream, no evaluation, logging or checkpoint.
     */
    public StepResult trainStep(DeviceData train) {
        check();
        return trainStep(train, null);
    }

    private StepResult trainStep(DeviceData train, List<float[][]> captured) {
        if (sampling == null && (stream == null || stream.size() != train.size())) {
            stream = new BatchStream(train.size(), spec.batchSize(), seed, streamEpoch, streamOffset);
        }
        model.train(true);
        StepResult result;
        long step = stepsDone;
        try (PointerScope scope = new PointerScope()) {
            Batch batch = train.batch(sampling == null ? stream.next() : sampling.next(step, train));
            result = step(batch, step, sampling == null ? stream.epoch() : 0, captured);
        }
        if (sampling != null && sampling.sampler().needsLosses()) {
            for (int k : sampling.lastDrawn()) {
                sampling.sampler().observeLoss(step, k, result.losses()[k]);
            }
        }
        stepsDone++;
        if (sampling == null) {
            streamEpoch = stream.epoch();
            streamOffset = stream.offset();
        }
        return result;
    }

    /**
     * One training step on a batch. Must run inside the caller's PointerScope; returns heap data only.
     *
     * @param captured if non-null, receives per task {outputs, targets} as float arrays (for log metrics)
     */
    StepResult step(Batch batch, long step, int epoch, List<float[][]> captured) {
        Engine.seed(Rng.derived(seed, step).nextLong());
        double lr = spec.schedule().lr(spec.optimizer().lr(), step, spec.steps());
        OptimizerParamGroupVector groups = optimizer.param_groups();
        for (long g = 0; g < groups.size(); g++) {
            groups.get(g).options().set_lr(lr);
        }
        boolean representation = needs.contains(Need.GRAMIAN_REPRESENTATION);
        boolean rowwise = needs.contains(Need.JACOBIAN);
        boolean sharedJacobian = needs.contains(Need.GRAMIAN_SHARED) || rowwise;
        Tensor z = null;
        Tensor detached = null;
        List<Tensor> outs;
        List<Tensor> lossList = new ArrayList<>(tasks.size());
        try (Autocast ac = Autocast.enter(spec.precision(), device)) {
            if (representation) {
                z = model.sharing().encode(batch.inputs());
                detached = z.detach().requires_grad_(true);
                outs = model.heads(detached, batch.inputs());
            } else {
                outs = model.forward(batch.inputs());
            }
            for (int i = 0; i < tasks.size(); i++) {
                lossList.add(Losses.compute(tasks.get(i), outs.get(i), batch.targets().get(i), batch.masks().get(i)).to(dtype));
            }
        }
        boolean[] present = present(batch, step);
        Tensor stacked = torch.stack(new TensorVector(lossList.toArray(new Tensor[0])));
        double[] lossValues = readLosses ? checkFinite(Tensors.toDoubles(stacked), step) : null;
        double[] norms = needs.contains(Need.LAST_SHARED_NORMS)
                ? GradientProbe.norms(lossList, model.sharing().lastSharedWeight()) : null;
        optimizer.zero_grad();
        GradientProbe.Jacobian jacobian = null;
        double[][] gramian = null;
        if (sharedJacobian || representation) {
            jacobian = GradientProbe.jacobian(lossList, sharedJacobian ? sharedTrainable : new TensorVector(detached),
                    headTrainable);
            gramian = GradientProbe.gramian(jacobian.rows());
        }
        BalanceInput input = new BalanceInput(step, epoch, lossValues, gramian, norms, present);
        if (rowwise) {
            RowAggregator.Result r = ((RowAggregator) balancer).combine(jacobian.rows(), input);
            double[] jd = Tensors.toDoubles(jacobian.rows().matmul(r.direction().to(jacobian.rows().scalar_type())));
            lastWeights = dev.mtlj.balance.Standalone.leastSquaresWeights(gramian, jd);
            GradientProbe.writeFlat(sharedTrainable, r.direction());
            for (int i = 0; i < tasks.size(); i++) {
                GradientProbe.writeScaled(headTrainable.get(i), jacobian.headGrads().get(i), r.headWeights()[i]);
            }
            return finishStep(batch, step, lr, new Balance(lastWeights, r.headWeights(), r.extras()), lossValues, stacked, outs,
                    captured);
        }
        Balance balance = balancer.balance(input);
        lastWeights = balance.weights();
        if (jacobian == null) {
            if (!java.util.Arrays.equals(balance.weights(), balance.headWeights())) {
                throw new IllegalStateException("balancer '" + balancer.name() + "' returned head weights that differ from"
                        + " its task weights without declaring a Gramian need");
            }
            stacked.mul(Tensors.vector(balance.weights(), device, dtype)).sum().backward();
        } else {
            Tensor d = jacobian.rows().t().matmul(Tensors.vector(balance.weights(), device, jacobian.rows().scalar_type()));
            if (sharedJacobian) {
                GradientProbe.writeFlat(sharedTrainable, d);
            } else {
                z.backward(d.view_as(z), new BoolOptional(false), false, new TensorArrayRefOptional());
            }
            for (int i = 0; i < tasks.size(); i++) {
                GradientProbe.writeScaled(headTrainable.get(i), jacobian.headGrads().get(i), balance.headWeights()[i]);
            }
        }
        return finishStep(batch, step, lr, balance, lossValues, stacked, outs, captured);
    }

    /** Clipping, the optimizer step, post-step losses, the log window and captured outputs. */
    private StepResult finishStep(Batch batch, long step, double lr, Balance balance, double[] lossValues, Tensor stacked,
                                  List<Tensor> outs, List<float[][]> captured) {
        for (int i = 0; i < tasks.size(); i++) {
            if (batch.labelled()[i] == 0) { // no gradient at all, so the optimizer leaves this head as it is
                TensorVector head = headTrainable.get(i);
                for (long k = 0; k < head.size(); k++) {
                    head.get(k).mutable_grad().put(new Tensor());
                }
            }
        }
        if (spec.gradClip() > 0) {
            GradClip.clip(trainable, spec.gradClip());
        }
        optimizer.step();
        if (needs.contains(Need.POST_STEP_LOSSES)) {
            balancer.afterStep(postStepLosses(batch));
        }
        windowLossSums.add_(stacked.detach().to(torch.ScalarType.Double));
        for (int i = 0; i < tasks.size(); i++) {
            windowCounts[i] += batch.labelled()[i] > 0 ? 1 : 0;
        }
        if (captured != null) {
            for (int i = 0; i < tasks.size(); i++) {
                captured.add(new float[][] {Tensors.toFloats(outs.get(i)), Tensors.toFloats(batch.targets().get(i))});
            }
        }
        return new StepResult(step, lr, balance, lossValues);
    }

    /**
     * The same batch's losses after the optimizer step, without autograd; batch-norm running statistics are
     * restored afterwards so the extra forward does not count twice.
     */
    private double[] postStepLosses(Batch batch) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            TensorVector buffers = model.buffers();
            List<Tensor> saved = new ArrayList<>();
            for (long k = 0; k < buffers.size(); k++) {
                saved.add(buffers.get(k).clone());
            }
            TensorVector losses = new TensorVector();
            try (Autocast ac = Autocast.enter(spec.precision(), device)) {
                List<Tensor> outs = model.forward(batch.inputs());
                for (int i = 0; i < tasks.size(); i++) {
                    losses.push_back(Losses.compute(tasks.get(i), outs.get(i), batch.targets().get(i), batch.masks().get(i))
                            .to(dtype));
                }
            }
            double[] post = Tensors.toDoubles(torch.stack(losses));
            for (long k = 0; k < buffers.size(); k++) {
                buffers.get(k).copy_(saved.get((int) k));
            }
            return post;
        }
    }

    /**
     * Which tasks the batch holds a label of; a step missing a task is refused unless the balancer accepts absent
     * tasks (equal or fixed weights), since the others weigh all tasks' losses or gradients together.
     */
    private boolean[] present(Batch batch, long step) {
        boolean[] present = new boolean[tasks.size()];
        boolean all = true;
        for (int i = 0; i < present.length; i++) {
            present[i] = batch.labelled()[i] > 0;
            if (!present[i] && !balancer.acceptsAbsentTasks()) {
                throw new UserInputException("the batch of step " + step + " holds no label of task '" + tasks.get(i).name()
                        + "' (partial labels), and balancer '" + balancer.name() + "' needs every task in every step;"
                        + " use ew or fixed weights, a larger train.batch_size, or data with that task labelled more often");
            }
            all &= present[i];
        }
        return all ? null : present;
    }

    /** Per task, a validation score where higher is better: accuracy, else R², else −loss. */
    private static double[] scores(Report val) {
        return val.tasks().values().stream().mapToDouble(t -> t.metrics().containsKey("accuracy") ? t.metrics().get("accuracy")
                : t.metrics().containsKey("r2") ? t.metrics().get("r2") : -t.loss()).toArray();
    }

    private double[] checkFinite(double[] losses, long step) {
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new IllegalStateException("loss of task '" + tasks.get(i).name() + "' is " + losses[i] + " at step " + step
                        + "; lower the learning rate or enable train.grad_clip");
            }
        }
        return losses;
    }

    private Report trainReport(long step, double lr, List<float[][]> captured) {
        double[] sums;
        try (PointerScope scope = new PointerScope()) {
            sums = Tensors.toDoubles(windowLossSums);
            windowLossSums.zero_();
        }
        Map<String, TaskReport> out = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskMetrics m = new TaskMetrics(tasks.get(i));
            float[][] oc = captured.get(i);
            m.add(oc[0], oc[1], oc[0].length / tasks.get(i).outputs());
            double mean = windowCounts[i] == 0 ? Double.NaN : sums[i] / windowCounts[i];
            if (!Double.isFinite(mean) && windowCounts[i] > 0) {
                throw new IllegalStateException("loss of task '" + tasks.get(i).name() + "' became " + mean
                        + " before step " + step + "; lower the learning rate or enable train.grad_clip");
            }
            out.put(tasks.get(i).name(), new TaskReport(mean, lastWeights[i], m.results()));
        }
        java.util.Arrays.fill(windowCounts, 0);
        return new Report(step, "train", lr, out, Map.of(), sampling == null ? null : sampling.windowStats(step));
    }

    /** Evaluates the current model on a split. */
    public Report evaluate(DeviceData data, String split) {
        check();
        return Evaluator.evaluate(model, data, spec.evalBatchSize(), lastWeights, stepsDone - 1, split, Double.NaN,
                spec.precision());
    }

    /** Saves model, optimizer and trainer state atomically. */
    public void save(Path path) throws IOException {
        check();
        double[] sums;
        try (PointerScope scope = new PointerScope()) {
            sums = Tensors.toDoubles(windowLossSums);
        }
        TrainerState state = new TrainerState(stepsDone, seed, streamEpoch, streamOffset, balancer.name(), balancer.state(),
                earlyStopping == null ? null : earlyStopping.state(), sums, windowCounts.clone(), metadata,
                sampling == null ? null : sampling.state(), sampling == null ? null : sampling.sampler().state(),
                model.signature());
        CheckpointFile.save(path, model, optimizer, state,
                balancer instanceof RowAggregator r ? r.tensors() : Map.of());
    }

    private void save(Path path, List<TrainingListener> listeners) {
        try {
            save(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listeners.forEach(l -> l.onCheckpoint(stepsDone, path));
    }

    /** Restores model, optimizer and trainer state from a checkpoint written by {@link #save}. */
    public void resume(Path path) {
        check();
        TrainerState s = CheckpointFile.readState(path);
        if (s.seed() != seed) {
            throw new UserInputException("checkpoint '" + path + "' was made with seed " + s.seed() + ", this run uses " + seed);
        }
        if (!s.balancer().equals(balancer.name())) {
            throw new UserInputException("checkpoint '" + path + "' was made with balancer '" + s.balancer()
                    + "', this run uses '" + balancer.name() + "'");
        }
        CheckpointFile.load(path, model, optimizer, device);
        if (balancer instanceof RowAggregator r) {
            try (PointerScope scope = new PointerScope()) {
                r.load(CheckpointFile.readTensors(path, device));
            }
        }
        stepsDone = s.stepsDone();
        stream = null; // rebuilt at the restored position
        streamEpoch = s.streamEpoch();
        streamOffset = s.streamOffset();
        balancer.restore(s.balancerState());
        if (earlyStopping != null && s.earlyStopping() != null) {
            earlyStopping.restore(s.earlyStopping());
        }
        windowCounts = s.windowCounts().clone();
        if ((sampling == null) != (s.sampling() == null)) {
            throw new UserInputException("checkpoint '" + path + "' was made with " + (s.sampling() == null ? "joint" : "sampled")
                    + " training, this run uses " + (sampling == null ? "joint" : "sampled") + " training");
        }
        if (sampling != null) {
            sampling.restore(s.sampling());
            sampling.sampler().restore(s.samplerState());
        }
        try (PointerScope scope = new PointerScope()) {
            windowLossSums.copy_(Tensors.vector(s.windowLossSums(), device, torch.ScalarType.Double));
        }
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("Trainer is closed");
        }
    }

    /** Frees the optimizer state and accumulators; the model stays with its owner. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            optimizer.close();
            trainable.close();
            sharedTrainable.close();
            headTrainable.forEach(TensorVector::close);
            if (balancer instanceof RowAggregator r) {
                r.close();
            }
            windowLossSums.close();
        }
    }
}
