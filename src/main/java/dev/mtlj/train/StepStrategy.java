package dev.mtlj.train;

import dev.mtlj.balance.Balance;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.balance.LossWeighting;
import dev.mtlj.balance.RowAggregator;
import dev.mtlj.data.Batch;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * How one kind of balancer turns a step's task losses into gradients: one implementation per kind
 * ({@link LossWeightingStep}, {@link GramianStep}, {@link RowAggregatorStep}), chosen once when training starts
 * ({@link #of}). {@link TrainingStep} owns everything the kinds share: seeding, learning rate, losses, clipping, the
 * optimizer step, the loss window.
 *
 * <p>Call order per step, inside the step's PointerScope: {@link #forward}, then (after the trainer computed and
 * possibly read the losses and zeroed the gradients) {@link #backward}, then after the optimizer step
 * {@link #afterOptimizerStep}.
 */
interface StepStrategy {
    /**
     * A forward pass.
     *
     * @param outputs        per task, the head output
     * @param representation the shared representation Z when the strategy split the pass there, else null
     * @param detached       Z detached (the heads' input), else null
     */
    record Forward(List<Tensor> outputs, Tensor representation, Tensor detached) {}

    /**
     * One step's losses as the strategy sees them.
     *
     * @param step        0-based step
     * @param epoch       the batch's epoch
     * @param batch       this rank's batch (the whole global batch in a one-process run)
     * @param forward     the forward pass
     * @param losses      per task, the scalar loss (caller's scope; scaled for the mean over ranks, see {@link StepSync})
     * @param stacked     the losses as one [T] tensor
     * @param valuesRead  whether someone reads the losses on the host (else {@link #values()} is null)
     * @param present     per task whether the global batch held it (null: all did)
     * @param sync        the step's traffic with the other ranks
     */
    record Losses(
            long step,
            int epoch,
            Batch batch,
            Forward forward,
            List<Tensor> losses,
            Tensor stacked,
            boolean valuesRead,
            boolean[] present,
            StepSync sync) {
        /** The global batch's losses on the host, or null when nobody asked for them. */
        double[] values() {
            return valuesRead ? sync.values() : null;
        }
    }

    /** Runs the forward pass (under the step's autocast). */
    Forward forward(Tensor inputs);

    /** Whether the method reads the losses on the host. */
    boolean readsLosses();

    /** Whether a step may miss tasks (partial labels, sampled training). */
    boolean acceptsAbsentTasks();

    /** The balancer's registry name (for messages). */
    String name();

    /** Computes what the method needs, asks it, and writes every trainable parameter's gradient. */
    Balance backward(Losses losses);

    /** After the optimizer step (FAMO re-evaluates the batch). */
    default void afterOptimizerStep(Batch batch, StepSync sync) {}

    /** Device state the method keeps across steps (checkpointed); borrowed. */
    default Map<String, Tensor> tensors() {
        return Map.of();
    }

    /** Restores {@link #tensors()} from a checkpoint. */
    default void load(Map<String, Tensor> tensors) {}

    /** Frees the method's device state. */
    default void close() {}

    /** The strategy for {@code balancer}'s kind; checks that the model can give what the method needs. */
    static StepStrategy of(Balancer balancer, StepContext ctx) {
        return balancer.accept(new Balancer.Visitor<>() {
            @Override
            public StepStrategy lossWeighting(LossWeighting method) {
                return new LossWeightingStep(method, ctx);
            }

            @Override
            public StepStrategy gramianWeighting(GramianWeighting method) {
                return new GramianStep(method, ctx);
            }

            @Override
            public StepStrategy rowAggregator(RowAggregator method) {
                return new RowAggregatorStep(method, ctx);
            }
        });
    }
}
