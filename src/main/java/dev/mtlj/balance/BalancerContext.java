package dev.mtlj.balance;

import java.util.List;

/**
 * What a balancer may know about the run when it is created.
 *
 * @param tasks   task names, in order
 * @param regression whether each task is a regression task (UW's κ)
 * @param lr      the network's base learning rate (default step size for learned balancer parameters)
 * @param seed    run seed (randomised methods draw from (seed, step), so resumed runs repeat them)
 */
public record BalancerContext(List<String> tasks, List<Boolean> regression, double lr, long seed) {
    /** Copies the collections and arrays, so the record never changes under its holder. */
    public BalancerContext {
        tasks = List.copyOf(tasks);
        regression = List.copyOf(regression);
    }

    /** The number of tasks. */
    public int size() {
        return tasks.size();
    }

    /** The context of {@code tasks} (names and kinds), with the network's learning rate and the run seed. */
    public static BalancerContext of(List<dev.mtlj.task.TaskSpec> tasks, double lr, long seed) {
        return new BalancerContext(
                tasks.stream().map(dev.mtlj.task.TaskSpec::name).toList(),
                tasks.stream()
                        .map(t -> t.kind() == dev.mtlj.task.TaskKind.REGRESSION)
                        .toList(),
                lr,
                seed);
    }

    /** A context for standalone use: T tasks named t1..tT, all regression, lr 1e-3. */
    public static BalancerContext of(int tasks, long seed) {
        List<String> names = java.util.stream.IntStream.rangeClosed(1, tasks)
                .mapToObj(i -> "t" + i)
                .toList();
        return new BalancerContext(names, java.util.Collections.nCopies(tasks, true), 1e-3, seed);
    }
}
