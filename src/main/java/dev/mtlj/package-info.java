/**
 * mtlj: multi-task learning on libtorch for the JVM.
 *
 * <p>Start at {@link dev.mtlj.run.Run} (a whole run from a {@link dev.mtlj.config.RunConfig}) or at
 * {@link dev.mtlj.train.Trainer} (the training loop over a {@link dev.mtlj.model.MultiTaskModel}).
 * See {@code docs/architecture.md} and {@code docs/memory.md} in the repository.
 */
package dev.mtlj;
