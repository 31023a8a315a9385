package dev.mtlj.serve;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Hands requests to a {@link Predictor}: {@link DynamicBatcher} (queued, run together) or {@link DirectDispatcher}
 * (each on its caller's thread). Call order: {@link #submit} any number of times from any threads, then
 * {@link #close()} once, which finishes the work accepted so far.
 */
public interface Dispatcher extends AutoCloseable {
    /**
     * Runs {@code rows} examples (row-major in {@code flat}) and completes with the outputs of {@code tasks}
     * (null: every task). Throws {@link OverloadedException} at once when full or closed; input errors complete the
     * future exceptionally with a {@link dev.mtlj.UserInputException}.
     */
    CompletableFuture<Predictions> submit(float[] flat, int rows, Collection<String> tasks);

    /** Requests accepted and not yet finished. */
    int depth();

    /** Stops accepting work and waits for the accepted work to finish. */
    @Override
    void close();

    /** Told about every forward pass, for metrics. */
    @FunctionalInterface
    interface BatchObserver {
        /** A batch of {@code examples} examples from {@code requests} requests ran. */
        void onBatch(int examples, int requests);
    }
}
