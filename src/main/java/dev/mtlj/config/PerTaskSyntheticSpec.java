package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.PerTaskSynthetic;
import dev.mtlj.task.TaskKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code data: {type: per-task-synthetic, features: 16, tasks: {big: {kind: regression, train: 5000}, ...}}}:
 * tasks with training sets of their own sizes ({@link PerTaskSynthetic}), for sampled training.
 *
 * @param features input dimension d (default 16)
 * @param tasks    task name → {kind: regression|binary|classification, classes (classification, default 3), train}
 * @param val      validation rows, every task labelled (default 500)
 * @param test     test rows, every task labelled (default 500)
 */
public record PerTaskSyntheticSpec(
        @JsonProperty("features") Integer features,
        @JsonProperty("tasks") LinkedHashMap<String, Entry> tasks,
        @JsonProperty("val") Integer val,
        @JsonProperty("test") Integer test)
        implements DataSpec {
    /** One task's entry. */
    public record Entry(
            @JsonProperty("kind") String kind,
            @JsonProperty("classes") Integer classes,
            @JsonProperty("train") Integer train) {}

    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public PerTaskSyntheticSpec {
        features = features == null ? 16 : features;
        val = val == null ? 500 : val;
        test = test == null ? 500 : test;
        if (features < 1 || features > 100_000) {
            throw new UserInputException("data.features must be in [1, 100000], got " + features);
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new UserInputException(
                    "data.tasks must name at least one task, e.g. {a: {kind: regression, train: 1000}}");
        }
        if (val < 1 || test < 1) {
            throw new UserInputException("data.val and data.test must be >= 1");
        }
        List<PerTaskSynthetic.Task> all = list(tasks); // validates every entry, naming the task
        long rows = (long) val + test;
        for (PerTaskSynthetic.Task t : all) {
            rows += t.train();
        }
        dev.mtlj.data.HeapBudget.require(
                "per-task-synthetic",
                "data.features or the tasks' train sizes",
                rows * features,
                (double) rows * (features + all.size()),
                4);
    }

    private static List<PerTaskSynthetic.Task> list(Map<String, Entry> tasks) {
        List<PerTaskSynthetic.Task> out = new ArrayList<>();
        tasks.forEach((name, e) -> {
            if (e == null) {
                throw new UserInputException("data.tasks." + name + " needs {kind, train}");
            }
            TaskKind kind = kind(name, e.kind());
            int classes = classes(name, kind, e.classes());
            if (e.train() == null || e.train() < 1) {
                throw new UserInputException("task '" + name + "' has an empty training set (data.tasks." + name
                        + ".train = " + e.train() + "); give it at least 1 example");
            }
            out.add(new PerTaskSynthetic.Task(name, kind, classes, e.train()));
        });
        return out;
    }

    /** data.tasks.&lt;name&gt;.kind: regression, binary or classification. */
    static TaskKind kind(String name, String kind) {
        if (kind == null) {
            throw new UserInputException(
                    "data.tasks." + name + ".kind is required: regression, binary or classification");
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "regression" -> TaskKind.REGRESSION;
            case "binary" -> TaskKind.BINARY;
            case "classification" -> TaskKind.CLASSIFICATION;
            default ->
                throw new UserInputException("data.tasks." + name + ".kind '" + kind
                        + "' is not valid; allowed: regression, binary, classification");
        };
    }

    /** data.tasks.&lt;name&gt;.classes (classification; default 3). */
    static int classes(String name, TaskKind kind, Integer classes) {
        int c = classes == null ? 3 : classes;
        if (kind == TaskKind.CLASSIFICATION && (c < 2 || c > 10_000)) {
            throw new UserInputException("data.tasks." + name + ".classes must be in [2, 10000], got " + c);
        }
        return c;
    }

    @Override
    public DataSplits load(long seed) {
        return PerTaskSynthetic.generate(features, list(tasks), val, test, seed);
    }
}
