package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every requested task's output for one batch, in the model's task order.
 *
 * @param rows  examples in the batch
 * @param tasks task name to its output
 */
public record Predictions(int rows, Map<String, TaskOutput> tasks) {
    /** Copies the collections and arrays, so the record never changes under its holder. */
    public Predictions {
        tasks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /** One task's output; an unknown or unrequested task is a {@link UserInputException}. */
    public TaskOutput task(String name) {
        TaskOutput t = tasks.get(name);
        if (t == null) {
            throw new UserInputException("task '" + name + "' is not in these predictions; tasks: " + tasks.keySet());
        }
        return t;
    }

    /** Rows {@code from} to {@code to} (exclusive), restricted to {@code names} (null: all tasks). */
    public Predictions slice(int from, int to, Collection<String> names) {
        Map<String, TaskOutput> out = new LinkedHashMap<>();
        tasks.forEach((k, v) -> {
            if (names == null || names.contains(k)) {
                out.put(k, v.slice(from, to));
            }
        });
        return new Predictions(to - from, out);
    }
}
