/**
 * API. Multi-task data on the heap ({@link dev.mtlj.data.MultiTaskData}, {@link dev.mtlj.data.DataSplits}), its readers
 * and generators, and {@link dev.mtlj.data.DeviceData}, a split copied once onto the training device. Batches
 * ({@link dev.mtlj.data.Batch}) are native plumbing between data and the trainer.
 */
package dev.mtlj.data;
