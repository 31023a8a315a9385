package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balance;
import dev.mtlj.balance.GramianInput;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.engine.Tensors;
import java.util.List;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;

/**
 * The step of a {@link GramianWeighting}: T per-task gradients (over the shared parameters, or over the shared
 * representation Z with the heads on a detached copy of it), the Gramian in float64, then d = Jᵀw written into the
 * shared gradients (or backpropagated from Z through the trunk) and h_i·∂L_i/∂φ_i into task i's own parameters.
 */
final class GramianStep implements StepStrategy {
    private final GramianWeighting method;
    private final StepContext ctx;
    private final boolean representation;

    GramianStep(GramianWeighting method, StepContext ctx) {
        this.method = method;
        this.ctx = ctx;
        this.representation = method.space() == GramianWeighting.Space.REPRESENTATION;
        if (representation && !ctx.network().sharing().supportsRepresentationGradients()) {
            throw new UserInputException(
                    "balancer '" + method.name() + "' differentiates w.r.t. the shared representation,"
                            + " which cannot reach every shared parameter of this architecture; use the parameter-level variant");
        }
        if (!representation && ctx.params().shared.size() == 0) {
            throw new UserInputException("balancer '" + method.name() + "' needs gradients of the shared parameters,"
                    + " but they are all frozen");
        }
    }

    @Override
    public Forward forward(Tensor inputs) {
        if (!representation) {
            return new Forward(ctx.network().forward(inputs), null, null);
        }
        Tensor z = ctx.network().sharing().encode(inputs);
        Tensor detached = z.detach().requires_grad_(true);
        return new Forward(ctx.network().heads(detached, inputs), z, detached);
    }

    @Override
    public boolean readsLosses() {
        return method.readsLosses();
    }

    @Override
    public boolean acceptsAbsentTasks() {
        return false;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public Balance backward(Losses l) {
        StepSync sync = l.sync();
        GradientProbe.Jacobian j = GradientProbe.jacobian(
                l.losses(),
                representation ? new TensorVector(l.forward().detached()) : ctx.params().shared,
                ctx.params().tasks);
        double[][] gramian;
        if (sync.single()) {
            gramian = GradientProbe.gramian(j.rows());
        } else if (representation) {
            // Z's rows differ per rank: H = Σ_r J_r J_rᵀ, each rank's rows from its scaled losses (docs/distributed.md)
            Tensor h =
                    sync.sum(List.of(GradientProbe.gramianOnDevice(j.rows()))).get(0);
            gramian = GradientProbe.toHost(h, 1.0);
        } else {
            j = sync.sum(j); // the global batch's Jacobian: every rank weighs the same rows
            gramian = GradientProbe.gramian(j.rows());
        }
        double eps = j.rows().scalar_type().intern() == org.bytedeco.pytorch.global.torch.ScalarType.Double
                ? GramianInput.FLOAT64_EPSILON
                : GramianInput.FLOAT32_EPSILON;
        Balance b = method.weigh(new GramianInput(l.step(), l.epoch(), gramian, l.values(), eps));
        Tensor d = Tensors.vector(b.weights(), ctx.device(), j.rows().scalar_type())
                .matmul(j.rows()); // wᵀJ: a row-major GEMV (Jᵀw on the transposed view took 3× longer)
        if (representation) {
            Tensor z = l.forward().representation();
            z.backward(d.view_as(z), new BoolOptional(false), false, new TensorArrayRefOptional());
        } else {
            GradientProbe.writeFlat(ctx.params().shared, d);
        }
        GradientProbe.writeTaskGradients(ctx.params().tasks, j.headGrads(), b.headWeights());
        if (representation) {
            sync.sumGradients(); // the trunk's and heads' gradients, each from this rank's own rows
        }
        return b;
    }
}
