package dev.mtlj.serve;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * No batching: each request runs its own forward pass on the thread that submits it; at most
 * {@code maxInFlight} at once, more are refused as overloaded.
 */
public final class DirectDispatcher implements Dispatcher {
    private final BatchModel model;
    private final Semaphore permits;
    private final int maxInFlight;
    private final BatchObserver observer;
    private volatile boolean closed;

    /**
     * @param model       the model every request runs on
     * @param maxInFlight requests allowed at once; more are refused as overloaded
     * @param observer    told of every batch
     */
    public DirectDispatcher(BatchModel model, int maxInFlight, BatchObserver observer) {
        this.model = model;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.observer = observer;
    }

    @Override
    public CompletableFuture<Predictions> submit(float[] flat, int rows, Collection<String> tasks) {
        if (!permits.tryAcquire()) {
            throw new OverloadedException("overloaded: " + maxInFlight + " requests already running; retry later");
        }
        if (closed) { // checked while holding a permit: close() waits for every permit, so none runs past it
            permits.release();
            throw new OverloadedException("the model is shutting down");
        }
        try {
            Predictions out = model.predict(flat, rows, tasks);
            observer.onBatch(rows, 1);
            return CompletableFuture.completedFuture(out);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            permits.release();
        }
    }

    @Override
    public int depth() {
        return maxInFlight - permits.availablePermits();
    }

    @Override
    public void close() {
        closed = true;
        permits.acquireUninterruptibly(maxInFlight); // wait for requests in flight
        permits.release(maxInFlight);
    }
}
