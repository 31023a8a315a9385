package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * Learning-rate schedule, a pure function of the step (so resuming needs no scheduler state).
 *
 * <p>During warm-up (steps t &lt; W) the rate rises linearly: lr·(t+1)/W. Afterwards, with s = t − W and
 * S = total − W: {@code constant} keeps lr; {@code step} multiplies by γ every {@code step_size} steps
 * (lr·γ^⌊s/step_size⌋, Python's StepLR timing); {@code cosine} anneals to {@code min_lr}:
 * min_lr + (lr − min_lr)·(1 + cos(π·s/S))/2.
 *
 * @param type        constant (default), step, cosine
 * @param warmupSteps W, default 0
 * @param stepSize    for {@code step}: steps between decays (default 1000)
 * @param gamma       for {@code step}: decay factor in (0, 1] (default 0.1)
 * @param minLr       for {@code cosine}: final rate (default 0)
 */
public record ScheduleSpec(
        @JsonProperty("type") ScheduleType type,
        @JsonProperty("warmup_steps") Long warmupSteps,
        @JsonProperty("step_size") Long stepSize,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("min_lr") Double minLr) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public ScheduleSpec {
        type = type == null ? ScheduleType.CONSTANT : type;
        warmupSteps = warmupSteps == null ? 0L : warmupSteps;
        stepSize = stepSize == null ? 1000L : stepSize;
        gamma = gamma == null ? 0.1 : gamma;
        minLr = minLr == null ? 0.0 : minLr;
        if (warmupSteps < 0) {
            throw new UserInputException("train.schedule.warmup_steps must be >= 0, got " + warmupSteps);
        }
        if (stepSize < 1) {
            throw new UserInputException("train.schedule.step_size must be >= 1, got " + stepSize);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new UserInputException("train.schedule.gamma must be in (0, 1], got " + gamma);
        }
        if (!(minLr >= 0)) {
            throw new UserInputException("train.schedule.min_lr must be >= 0, got " + minLr);
        }
    }

    /** A constant learning rate. */
    public static ScheduleSpec constant() {
        return new ScheduleSpec(null, null, null, null, null);
    }

    /** Learning rate at 0-based step {@code t} of {@code total}. */
    public double lr(double base, long t, long total) {
        if (t < warmupSteps) {
            return base * (t + 1) / warmupSteps;
        }
        long s = t - warmupSteps;
        return switch (type) {
            case STEP -> base * Math.pow(gamma, Math.floor((double) s / stepSize));
            case COSINE -> {
                long span = Math.max(1, total - warmupSteps);
                double progress = Math.min(1.0, (double) s / span);
                yield minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
            case CONSTANT -> base;
        };
    }
}
