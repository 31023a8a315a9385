package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balance;
import dev.mtlj.balance.LossInput;
import dev.mtlj.balance.LossWeighting;
import dev.mtlj.balance.LossWeighting.Signal;
import dev.mtlj.balance.Weights;
import dev.mtlj.data.Batch;
import dev.mtlj.engine.Autocast;
import dev.mtlj.engine.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The step of a {@link LossWeighting}: one backward of Σ_i w_i L_i, plus the signals the method declared —
 * last-shared-layer norms (one partial backward per task) and post-step losses (one more forward).
 */
final class LossWeightingStep implements StepStrategy {
    private final LossWeighting method;
    private final StepContext ctx;
    private final boolean norms;
    private final boolean postStep;

    LossWeightingStep(LossWeighting method, StepContext ctx) {
        this.method = method;
        this.ctx = ctx;
        this.norms = method.signals().contains(Signal.LAST_SHARED_NORMS);
        this.postStep = method.signals().contains(Signal.POST_STEP_LOSSES);
        if (norms) {
            if (ctx.params().shared.size() == 0) {
                throw new UserInputException("balancer '" + method.name()
                        + "' needs gradients of the shared parameters," + " but they are all frozen");
            }
            if (!ctx.network().sharing().lastSharedWeight().requires_grad()) {
                throw new UserInputException("balancer '" + method.name() + "' needs the last shared layer's gradient,"
                        + " but that layer is frozen");
            }
        }
    }

    @Override
    public Forward forward(Tensor inputs) {
        return new Forward(ctx.network().forward(inputs), null, null);
    }

    @Override
    public boolean readsLosses() {
        return method.signals().contains(Signal.LOSSES);
    }

    @Override
    public boolean acceptsAbsentTasks() {
        return method.acceptsAbsentTasks();
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public Balance backward(Losses l) {
        double[] n = norms ? norms(l) : null;
        Weights w = method.weigh(new LossInput(l.step(), l.epoch(), l.values(), n, l.present()));
        l.sync().prepareGradients();
        l.stacked()
                .mul(Tensors.vector(w.values(), ctx.device(), ctx.dtype()))
                .sum()
                .backward();
        l.sync().sumGradients();
        return w.asBalance();
    }

    /**
     * ‖∂L_i/∂W‖ of the global batch: in a data-parallel run the per-task gradient rows of W are summed over the ranks
     * (with the losses) before their norms are taken, so the norms are exact, not averages of norms.
     */
    private double[] norms(Losses l) {
        Tensor weight = ctx.network().sharing().lastSharedWeight();
        if (l.sync().single()) {
            return GradientProbe.norms(l.losses(), weight);
        }
        Tensor rows =
                l.sync().sum(List.of(GradientProbe.rows(l.losses(), weight))).get(0);
        return Tensors.toDoubles(rows.mul(rows)
                .sum(new long[] {1}, false, new ScalarTypeOptional())
                .sqrt());
    }

    @Override
    public void afterOptimizerStep(Batch batch, StepSync sync) {
        if (postStep) {
            method.afterStep(postStepLosses(batch, sync));
        }
    }

    /**
     * The same batch's losses after the optimizer step, without autograd; batch-norm running statistics are restored
     * afterwards so the extra forward does not count twice.
     */
    private double[] postStepLosses(Batch batch, StepSync sync) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            TensorVector buffers = ctx.network().buffers();
            List<Tensor> saved = new ArrayList<>();
            for (long k = 0; k < buffers.size(); k++) {
                saved.add(buffers.get(k).clone());
            }
            List<Tensor> losses = new ArrayList<>();
            try (Autocast ac = Autocast.enter(ctx.precision(), ctx.device())) {
                List<Tensor> outs = ctx.network().forward(batch.inputs());
                for (int i = 0; i < ctx.tasks().size(); i++) {
                    losses.add(dev.mtlj.task.Losses.compute(
                                    ctx.tasks().get(i),
                                    outs.get(i),
                                    batch.targets().get(i),
                                    batch.masks().get(i))
                            .to(ctx.dtype()));
                }
            }
            sync.scale(losses);
            Tensor stacked = torch.stack(new TensorVector(losses.toArray(new Tensor[0])));
            double[] post = Tensors.toDoubles(sync.sum(List.of(stacked)).get(0));
            for (long k = 0; k < buffers.size(); k++) {
                buffers.get(k).copy_(saved.get((int) k));
            }
            return post;
        }
    }
}
