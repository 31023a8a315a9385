package dev.mtlj.task;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Task losses on libtorch tensors. Every loss is the mean over the batch (regression: over all elements).
 *
 * <p>Shapes: {@code output} is the head's [B, outputs]; {@code target} is [B] int64 class indices for
 * classification, [B] float 0/1 for binary, [B, outputs] float for regression. Returned tensors belong to the
 * caller's PointerScope.
 */
@dev.mtlj.NativeApi
public final class Losses {
    /** at::Reduction::Mean. */
    private static final long MEAN = 1;
    /** at::Reduction::None. */
    private static final long NONE = 0;

    private Losses() {}

    /**
     * The loss over the labelled rows only: {@code mask} [B] is 1 where labelled, 0 where missing ({@code null}: all
     * labelled). Equal to the unmasked loss on the labelled subset; 0 (no gradient) when no row is labelled.
     */
    public static Tensor compute(TaskSpec task, Tensor output, Tensor target, Tensor mask) {
        if (mask == null) {
            return compute(task, output, target);
        }
        Tensor keep = mask.gt(new Scalar(0));
        Tensor perRow = switch (task.loss()) {
            case CROSS_ENTROPY ->
                torch.cross_entropy_loss(
                        output, target.clamp_min(new Scalar(0)), new TensorOptional(), NONE, -100, 0.0);
            case BCE_WITH_LOGITS ->
                torch.binary_cross_entropy_with_logits(
                        output.view(-1), clean(target, keep), new TensorOptional(), new TensorOptional(), NONE);
            case MSE -> rowMean(torch.mse_loss(output, clean(target, keep), NONE));
            case L1 -> rowMean(torch.l1_loss(output, clean(target, keep), NONE));
            case HUBER -> rowMean(torch.huber_loss(output, clean(target, keep), NONE, task.huberDelta()));
        };
        Tensor m = mask.to(perRow.scalar_type());
        return perRow.mul(m).sum().div(m.sum().clamp_min(new Scalar(1)));
    }

    /** Missing (NaN) targets replaced by 0 so that 0 × loss stays 0. */
    private static Tensor clean(Tensor target, Tensor keep) {
        Tensor k = target.dim() > 1 ? keep.unsqueeze(1).expand_as(target) : keep;
        return torch.where(k, target, torch.zeros_like(target));
    }

    private static Tensor rowMean(Tensor perElement) {
        return perElement.dim() > 1 ? perElement.mean(new long[] {1}, false, new ScalarTypeOptional()) : perElement;
    }

    /** The task's loss of {@code output} against {@code target}, with libtorch's mean reduction. */
    public static Tensor compute(TaskSpec task, Tensor output, Tensor target) {
        return switch (task.loss()) {
            case CROSS_ENTROPY -> torch.cross_entropy_loss(output, target);
            case BCE_WITH_LOGITS ->
                torch.binary_cross_entropy_with_logits(
                        output.view(-1), target, new TensorOptional(), new TensorOptional(), MEAN);
            case MSE -> torch.mse_loss(output, target);
            case L1 -> torch.l1_loss(output, target);
            case HUBER -> torch.huber_loss(output, target, MEAN, task.huberDelta());
        };
    }
}
