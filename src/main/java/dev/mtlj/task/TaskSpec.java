package dev.mtlj.task;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One task of a multi-task problem.
 *
 * @param name       unique name, used in configs, logs and checkpoints
 * @param kind       what it predicts
 * @param outputs    head width: classes for classification, 1 for binary, output dimensions for regression
 * @param loss       training loss (must suit {@code kind})
 * @param huberDelta threshold of the Huber loss (ignored by other losses)
 * @param metrics    evaluation metrics (each must suit {@code kind})
 */
public record TaskSpec(
        String name, TaskKind kind, int outputs, LossKind loss, double huberDelta, List<MetricKind> metrics) {
    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public TaskSpec {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new UserInputException("task name '" + name
                    + "' is not valid; use a letter then letters, digits, '_' or '-' (at most 64)");
        }
        if (outputs < 1
                || (kind == TaskKind.BINARY && outputs != 1)
                || (kind == TaskKind.CLASSIFICATION && outputs < 2)) {
            throw new UserInputException("task '" + name + "': outputs = " + outputs + " does not suit kind "
                    + kind.configName() + " (classification: classes >= 2, binary: 1, regression: >= 1)");
        }
        if (!kind.losses().contains(loss)) {
            throw new UserInputException("task '" + name + "': loss '" + loss.configName() + "' does not suit kind "
                    + kind.configName() + "; allowed: "
                    + names(kind.losses().stream().map(LossKind::configName).toList()));
        }
        if (!(huberDelta > 0) || Double.isInfinite(huberDelta)) {
            throw new UserInputException("task '" + name + "': huber_delta must be > 0 and finite, got " + huberDelta);
        }
        metrics = List.copyOf(metrics);
        for (MetricKind m : metrics) {
            if (!kind.metrics().contains(m)) {
                throw new UserInputException("task '" + name + "': metric '" + m.configName() + "' does not suit kind "
                        + kind.configName() + "; allowed: "
                        + names(kind.metrics().stream()
                                .map(MetricKind::configName)
                                .toList()));
            }
        }
    }

    /** A task with the kind's default loss and all of its metrics. */
    public static TaskSpec of(String name, TaskKind kind, int outputs) {
        return new TaskSpec(name, kind, outputs, kind.defaultLoss(), 1.0, List.copyOf(kind.metrics()));
    }

    private static String names(List<String> xs) {
        return xs.stream().collect(Collectors.joining(", "));
    }
}
