package dev.mtlj.serve;

import dev.mtlj.UserInputException;

/**
 * Dynamic batching settings (Triton's {@code max_batch_size} / {@code max_queue_delay_microseconds}).
 *
 * @param enabled       false: every request runs its own forward pass on the thread that received it
 * @param maxBatchSize  most examples in one forward pass (a larger single request runs alone), {@code >= 1}
 * @param maxWaitMicros longest a request waits for others to join its batch, from its arrival, {@code >= 0}
 * @param queueCapacity most requests waiting (batching) or running (no batching); more are refused as overloaded
 */
public record BatchingOptions(boolean enabled, int maxBatchSize, long maxWaitMicros, int queueCapacity) {
    /** Default maximum examples per batch. */
    public static final int DEFAULT_MAX_BATCH = 64;
    /** Default maximum wait for company, in microseconds. */
    public static final long DEFAULT_MAX_WAIT_MICROS = 2_000;
    /** Default queue capacity, in requests. */
    public static final int DEFAULT_QUEUE = 1024;

    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public BatchingOptions {
        if (maxBatchSize < 1) {
            throw new UserInputException("max batch size must be >= 1, got " + maxBatchSize);
        }
        if (maxWaitMicros < 0 || maxWaitMicros > 10_000_000) {
            throw new UserInputException("max batch wait must be between 0 and 10 s, got " + maxWaitMicros + " µs");
        }
        if (queueCapacity < 1) {
            throw new UserInputException("queue capacity must be >= 1, got " + queueCapacity);
        }
    }

    /** Batching on: up to 64 examples, 2 ms wait, 1024 queued requests. */
    public static BatchingOptions defaults() {
        return new BatchingOptions(true, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MICROS, DEFAULT_QUEUE);
    }

    /** No batching, at most {@code queueCapacity} requests running at once. */
    public static BatchingOptions disabled(int queueCapacity) {
        return new BatchingOptions(false, 1, 0, queueCapacity);
    }

    @Override
    public String toString() {
        return enabled
                ? "BatchingOptions[max_batch_size=" + maxBatchSize + ", max_wait_us=" + maxWaitMicros
                        + ", queue_capacity=" + queueCapacity + "]"
                : "BatchingOptions[off, max_in_flight=" + queueCapacity + "]";
    }
}
