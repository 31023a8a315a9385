package dev.mtlj.data;

import dev.mtlj.task.TaskSpec;
import java.util.List;

/**
 * A problem ready to train on: the tasks and their train/validation/test splits.
 *
 * @param tasks tasks in order; every split holds labels for each
 */
public record DataSplits(List<TaskSpec> tasks, MultiTaskData train, MultiTaskData val, MultiTaskData test) {
    /** Copies the task list and checks that every split labels every task. */
    public DataSplits {
        tasks = List.copyOf(tasks);
        for (MultiTaskData d : List.of(train, val, test)) {
            for (TaskSpec t : tasks) {
                if (!d.labels().containsKey(t.name())) {
                    throw new IllegalArgumentException("split lacks labels for task '" + t.name() + "'");
                }
            }
        }
    }
}
