/**
 * API: {@link dev.mtlj.engine.DeviceSpec}, {@link dev.mtlj.engine.DType}, {@link dev.mtlj.engine.Precision} and the
 * process-wide settings of {@link dev.mtlj.engine.Engine} (threads, seeding). Internal: the libtorch helpers
 * ({@code Tensors}, {@code Autocast}, {@code CudaMemory}, {@code Natives}, {@code NativeErrors}), public only for mtlj's
 * own packages.
 */
package dev.mtlj.engine;
