/**
 * mtlj: multi-task learning on libtorch for the JVM. API package: {@link dev.mtlj.UserInputException} (bad input, CLI
 * exit 2) and the {@link dev.mtlj.NativeApi} marker.
 *
 * <p>Start at {@link dev.mtlj.run.Run} (a whole run from a {@link dev.mtlj.config.RunConfig}) or at
 * {@link dev.mtlj.train.Trainer} (the training loop over a {@link dev.mtlj.model.MultiTaskModel}). Which packages are API
 * and which are internal: {@code docs/api.md}; the design: {@code docs/architecture.md}, {@code docs/memory.md}.
 */
package dev.mtlj;
