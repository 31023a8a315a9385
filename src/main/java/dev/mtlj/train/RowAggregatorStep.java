package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balance;
import dev.mtlj.balance.RowAggregator;
import dev.mtlj.balance.RowInput;
import dev.mtlj.balance.Standalone;
import dev.mtlj.engine.Tensors;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The step of a {@link RowAggregator}: T per-task gradients over the shared parameters as device rows J [T, P], the
 * method's direction d written into the shared gradients, h_i·∂L_i/∂φ_i into task i's own parameters; the logged
 * weights are the least-squares effective weights H⁺(Jd). The method's device state is checkpointed with the model.
 */
final class RowAggregatorStep implements StepStrategy {
    private final RowAggregator method;
    private final StepContext ctx;

    RowAggregatorStep(RowAggregator method, StepContext ctx) {
        this.method = method;
        this.ctx = ctx;
        if (ctx.params().shared.size() == 0) {
            throw new UserInputException("balancer '" + method.name() + "' needs gradients of the shared parameters,"
                    + " but they are all frozen");
        }
    }

    @Override
    public Forward forward(Tensor inputs) {
        return new Forward(ctx.network().forward(inputs), null, null);
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
        GradientProbe.Jacobian j =
                l.sync().sum(GradientProbe.jacobian(l.losses(), ctx.params().shared, ctx.params().tasks));
        double[][] gramian = GradientProbe.gramian(j.rows());
        RowAggregator.Result r = method.combine(j.rows(), new RowInput(l.step(), l.epoch(), l.values()));
        double[] jd =
                Tensors.toDoubles(j.rows().matmul(r.direction().to(j.rows().scalar_type())));
        double[] weights = Standalone.leastSquaresWeights(gramian, jd);
        GradientProbe.writeFlat(ctx.params().shared, r.direction());
        GradientProbe.writeTaskGradients(ctx.params().tasks, j.headGrads(), r.headWeights());
        return new Balance(weights, r.headWeights(), r.extras());
    }

    @Override
    public Map<String, Tensor> tensors() {
        return method.tensors();
    }

    @Override
    public void load(Map<String, Tensor> tensors) {
        method.load(tensors);
    }

    @Override
    public void close() {
        method.close();
    }
}
