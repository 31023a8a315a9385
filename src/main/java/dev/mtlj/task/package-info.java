/**
 * API. Tasks: {@link dev.mtlj.task.TaskSpec}, kinds, losses and metrics ({@link dev.mtlj.task.TaskMetrics}, on the
 * heap). {@link dev.mtlj.task.Losses} is native plumbing.
 */
package dev.mtlj.task;
