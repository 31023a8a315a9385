package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import java.util.List;

/**
 * Optimizer of the network parameters.
 *
 * @param type        SGD, Adam (default) or AdamW
 * @param lr          base learning rate (default 1e-3), &gt; 0
 * @param momentum    SGD momentum in [0, 1) (default 0.9)
 * @param nesterov    SGD Nesterov momentum (default false)
 * @param betas       Adam/AdamW (β1, β2), each in [0, 1) (default 0.9, 0.999)
 * @param eps         Adam/AdamW ε (default 1e-8)
 * @param weightDecay L2 penalty (SGD, Adam) or decoupled decay (AdamW); default 0 (AdamW: 0.01)
 */
public record OptimizerSpec(
        @JsonProperty("type") OptimizerType type,
        @JsonProperty("lr") Double lr,
        @JsonProperty("momentum") Double momentum,
        @JsonProperty("nesterov") Boolean nesterov,
        @JsonProperty("betas") List<Double> betas,
        @JsonProperty("eps") Double eps,
        @JsonProperty("weight_decay") Double weightDecay) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public OptimizerSpec {
        type = type == null ? OptimizerType.ADAM : type;
        lr = lr == null ? 1e-3 : lr;
        momentum = momentum == null ? 0.9 : momentum;
        nesterov = nesterov != null && nesterov;
        betas = betas == null ? List.of(0.9, 0.999) : List.copyOf(betas);
        eps = eps == null ? 1e-8 : eps;
        weightDecay = weightDecay == null ? (type == OptimizerType.ADAMW ? 0.01 : 0.0) : weightDecay;
        if (!(lr > 0) || lr.isInfinite()) {
            throw new UserInputException("train.optimizer.lr must be > 0 and finite, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new UserInputException("train.optimizer.momentum must be in [0, 1), got " + momentum);
        }
        if (betas.size() != 2 || betas.stream().anyMatch(b -> b == null || !(b >= 0 && b < 1))) {
            throw new UserInputException("train.optimizer.betas must be two numbers in [0, 1), got " + betas);
        }
        if (!(eps > 0)) {
            throw new UserInputException("train.optimizer.eps must be > 0, got " + eps);
        }
        if (!(weightDecay >= 0) || weightDecay.isInfinite()) {
            throw new UserInputException("train.optimizer.weight_decay must be >= 0 and finite, got " + weightDecay);
        }
        if (nesterov && type != OptimizerType.SGD) {
            throw new UserInputException("train.optimizer.nesterov applies to sgd only, not " + type);
        }
    }

    /** Adam with learning rate {@code lr} and the other settings at their defaults. */
    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec(OptimizerType.ADAM, lr, null, null, null, null, null);
    }

    /** SGD with learning rate {@code lr} and momentum {@code momentum}. */
    public static OptimizerSpec sgd(double lr, double momentum) {
        return new OptimizerSpec(OptimizerType.SGD, lr, momentum, null, null, null, null);
    }
}
