package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balance;
import dev.mtlj.data.Batch;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Autocast;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.random.Rng;
import dev.mtlj.task.Losses;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * One training step, the part every balancer kind shares: libtorch's generator seeded from (seed, step), the learning
 * rate from the schedule, the forward pass and task losses under autocast, the losses read to the host only when
 * someone asked, the kind's {@link StepStrategy} for the gradients, clipping, the optimizer step and the loss window.
 * Runs inside the caller's PointerScope and returns heap data only.
 */
final class TrainingStep {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingStep.class);
    private final StepContext ctx;
    private final StepStrategy strategy;
    private final TrainSpec spec;
    private final long seed;
    private final Optimizer optimizer;
    private final LossWindow window;
    private final boolean readLosses;
    private final boolean skipNonFinite;
    private boolean stopAgreed;

    TrainingStep(
            StepContext ctx,
            StepStrategy strategy,
            TrainSpec spec,
            long seed,
            Optimizer optimizer,
            LossWindow window,
            boolean sourceNeedsLosses) {
        this.skipNonFinite = spec.onNonFinite() == NonFinitePolicy.SKIP;
        this.ctx = ctx;
        this.strategy = strategy;
        this.spec = spec;
        this.seed = seed;
        this.optimizer = optimizer;
        this.window = window;
        this.readLosses = strategy.readsLosses() || sourceNeedsLosses || skipNonFinite;
    }

    /**
     * Trains on the global batch {@code rows} of {@code train} as step {@code step} (this rank's shard of it in a
     * data-parallel run); {@code capture} copies the outputs and targets to the host; {@code stopWish}: this rank was
     * asked to stop (in a data-parallel run the ranks agree on it, see {@link #stopAgreed()}).
     */
    StepResult run(DeviceData train, int[] rows, long step, int epoch, boolean capture, boolean stopWish) {
        Shard shard = Shard.of(train, rows, ctx.collective(), step);
        Batch batch = shard.batch();
        StepSync sync = new StepSync(ctx.collective(), shard.scales(), ctx.grads());
        Engine.seed(Rng.derived(seed, step).nextLong() + ctx.collective().rank()); // own dropout draws per rank
        double lr = spec.schedule().lr(spec.optimizer().lr(), step, spec.steps());
        OptimizerParamGroupVector groups = optimizer.param_groups();
        for (long g = 0; g < groups.size(); g++) {
            groups.get(g).options().set_lr(lr);
        }
        StepStrategy.Forward forward;
        List<Tensor> losses = new ArrayList<>(ctx.tasks().size());
        try (Autocast ac = Autocast.enter(ctx.precision(), ctx.device())) {
            forward = strategy.forward(batch.inputs());
            for (int i = 0; i < ctx.tasks().size(); i++) {
                losses.add(Losses.compute(
                                ctx.tasks().get(i),
                                forward.outputs().get(i),
                                batch.targets().get(i),
                                batch.masks().get(i))
                        .to(ctx.dtype()));
            }
        }
        sync.scale(losses);
        boolean[] present = present(shard.labelled(), step);
        Tensor stacked = torch.stack(new TensorVector(losses.toArray(new Tensor[0])));
        sync.losses(stacked, stopWish);
        stopAgreed = false;
        if (readLosses && (sync.single() || skipNonFinite)) {
            StepResult skipped = checkFinite(sync.values(), step, lr, null);
            if (skipped != null) {
                stopAgreed = sync.stopRequested();
                return skipped;
            }
        }
        zeroGrad();
        if (!sync.single()) {
            Engine.seed(Rng.derived(seed, step).nextLong() ^ 0x62616c616e6365L); // the same draws on every rank
        }
        Balance balance = strategy.backward(
                new StepStrategy.Losses(step, epoch, batch, forward, losses, stacked, readLosses, present, sync));
        double[] values = readLosses ? sync.values() : null;
        stopAgreed = sync.stopRequested();
        if (readLosses && !sync.single() && !skipNonFinite) {
            StepResult skipped = checkFinite(values, step, lr, balance);
            if (skipped != null) {
                return skipped;
            }
        }
        for (int i = 0; i < ctx.tasks().size(); i++) {
            if (shard.labelled()[i] == 0) { // no gradient at all, so the optimizer leaves this task's parameters alone
                TensorVector own = ctx.params().tasks.get(i);
                for (long k = 0; k < own.size(); k++) {
                    own.get(k).mutable_grad().put(new Tensor());
                }
            }
        }
        if (skipNonFinite && !GradClip.finite(ctx.params().trainable)) {
            LOG.warn("step {}: a gradient is not finite; step skipped (train.on_nonfinite: skip)", step);
            zeroGrad();
            return new StepResult(step, lr, balance, values, null, true);
        }
        if (spec.gradClip() > 0) {
            GradClip.clip(ctx.params().trainable, spec.gradClip());
        }
        optimizer.step();
        strategy.afterOptimizerStep(batch, sync);
        window.add(sync.losses(), shard.labelled());
        List<float[][]> outputs = null;
        if (capture) {
            outputs = new ArrayList<>();
            for (int i = 0; i < ctx.tasks().size(); i++) {
                outputs.add(new float[][] {
                    Tensors.toFloats(forward.outputs().get(i)),
                    Tensors.toFloats(batch.targets().get(i))
                });
            }
        }
        return new StepResult(step, lr, balance, values, outputs, false);
    }

    /** The optimizer's zero_grad, after releasing a data-parallel rank's gradient views (zero_grad detaches in place). */
    private void zeroGrad() {
        if (ctx.grads() != null) {
            ctx.grads().release();
        }
        optimizer.zero_grad();
    }

    /** Whether every rank agreed, during the last step, to stop after it (any rank's wish counts). */
    boolean stopAgreed() {
        return stopAgreed;
    }

    /** Null when the losses are finite; else stops the run (a {@link DivergenceException}) or skips the step. */
    private StepResult checkFinite(double[] values, long step, double lr, Balance balance) {
        String bad = nonFinite(values, step);
        if (bad == null) {
            return null;
        }
        if (!skipNonFinite) {
            throw new DivergenceException(
                    bad + "; lower the learning rate, enable train.grad_clip, or set train.on_nonfinite: skip");
        }
        LOG.warn("{}; step skipped (train.on_nonfinite: skip)", bad);
        zeroGrad();
        return new StepResult(step, lr, balance, values, null, true);
    }

    /**
     * Which tasks the batch holds a label of; a step missing a task is refused unless the method accepts absent tasks
     * (equal or fixed weights), since the others weigh all tasks' losses or gradients together.
     */
    private boolean[] present(int[] labelled, long step) {
        boolean[] present = new boolean[ctx.tasks().size()];
        boolean all = true;
        for (int i = 0; i < present.length; i++) {
            present[i] = labelled[i] > 0;
            if (!present[i] && !strategy.acceptsAbsentTasks()) {
                throw new UserInputException(
                        "the batch of step " + step + " holds no label of task '"
                                + ctx.tasks().get(i).name()
                                + "' (partial labels), and balancer '" + strategy.name()
                                + "' needs every task in every step;"
                                + " use ew or fixed weights, a larger train.batch_size, or data with that task labelled more often");
            }
            all &= present[i];
        }
        return all ? null : present;
    }

    /** The first non-finite loss, described for a message (1-based step, as the console counts), or null. */
    private String nonFinite(double[] losses, long step) {
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                return "loss of task '" + ctx.tasks().get(i).name() + "' is " + losses[i] + " at step " + (step + 1);
            }
        }
        return null;
    }
}
