package dev.mtlj.task;

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
public final class Losses {
    /** at::Reduction::Mean. */
    private static final long MEAN = 1;

    private Losses() {}

    public static Tensor compute(TaskSpec task, Tensor output, Tensor target) {
        return switch (task.loss()) {
            case CROSS_ENTROPY -> torch.cross_entropy_loss(output, target);
            case BCE_WITH_LOGITS -> torch.binary_cross_entropy_with_logits(output.view(-1), target,
                    new TensorOptional(), new TensorOptional(), MEAN);
            case MSE -> torch.mse_loss(output, target);
            case L1 -> torch.l1_loss(output, target);
            case HUBER -> torch.huber_loss(output, target, MEAN, task.huberDelta());
        };
    }
}
