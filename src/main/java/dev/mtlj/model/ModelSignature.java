package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a multi-task model takes and gives: the shape of one example and, per task, its kind and head width. Stored
 * in every checkpoint (so a served model needs neither its training data nor its config's data section) and written
 * beside exported TorchScript models as {@code <model>.json}.
 *
 * @param inputShape shape of one example, without the batch dimension
 * @param tasks      the tasks in head order
 */
public record ModelSignature(
        @JsonProperty("input_shape") long[] inputShape,
        @JsonProperty("tasks") List<Task> tasks) {
    /**
     * One task's output.
     *
     * @param name    task name
     * @param kind    {@code classification}, {@code binary} or {@code regression}
     * @param outputs head width
     */
    public record Task(
            @JsonProperty("name") String name,
            @JsonProperty("kind") String kind,
            @JsonProperty("outputs") int outputs) {
        /** Checks the name, kind and width together. */
        @JsonCreator
        public Task {
            TaskSpec.of(name, TaskKind.parse(kind), outputs); // validates name, kind and width together
        }

        /** The parsed task kind. */
        public TaskKind taskKind() {
            return TaskKind.parse(kind);
        }
    }

    /** Checks the input shape and tasks. */
    @JsonCreator
    public ModelSignature {
        if (inputShape == null
                || inputShape.length == 0
                || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new UserInputException(
                    "input_shape must list one or more dimensions >= 1, got " + Arrays.toString(inputShape));
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new UserInputException("a model signature needs at least one task");
        }
        Set<String> seen = new HashSet<>();
        for (Task t : tasks) {
            if (!seen.add(t.name())) {
                throw new UserInputException("task '" + t.name() + "' is listed twice in the model signature");
            }
        }
        inputShape = inputShape.clone();
        tasks = List.copyOf(tasks);
    }

    /** The signature of a model built for {@code exampleShape} and {@code tasks}. */
    public static ModelSignature of(long[] exampleShape, List<TaskSpec> tasks) {
        return new ModelSignature(
                exampleShape,
                tasks.stream()
                        .map(t -> new Task(t.name(), t.kind().configName(), t.outputs()))
                        .toList());
    }

    /** A copy of the input shape. */
    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Scalars in one example. */
    public long exampleSize() {
        return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    }

    /** The tasks as specs with each kind's default loss and metrics (enough to rebuild heads). */
    public List<TaskSpec> taskSpecs() {
        return tasks.stream()
                .map(t -> TaskSpec.of(t.name(), t.taskKind(), t.outputs()))
                .toList();
    }

    /** Index of a task by name, or -1. */
    public int taskIndex(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSignature s && Arrays.equals(inputShape, s.inputShape) && tasks.equals(s.tasks);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputShape) + tasks.hashCode();
    }

    @Override
    public String toString() {
        return "ModelSignature[input_shape=" + Arrays.toString(inputShape) + ", tasks=" + tasks + "]";
    }
}
