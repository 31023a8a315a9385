/**
 * API. The training loop: {@link dev.mtlj.train.Trainer} (built with {@link dev.mtlj.train.TrainerBuilder}), its
 * settings ({@link dev.mtlj.train.TrainSpec}), listeners and reports. Internally one step strategy per balancer kind,
 * a batch source (joint or sampled), and logging, validation, early stopping and checkpoints as listeners.
 */
package dev.mtlj.train;
