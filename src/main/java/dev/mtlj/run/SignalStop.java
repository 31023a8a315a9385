package dev.mtlj.run;

import dev.mtlj.train.Trainer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A polite stop on SIGTERM or SIGINT (an orchestrator draining a node, Ctrl-C): a JVM shutdown hook asks the trainer
 * to end after the step in progress and holds the JVM open until the run has written its checkpoint and closed this
 * object (at most {@link #GRACE_SECONDS}; an orchestrator's own grace period, e.g. Kubernetes' 30 s, may be shorter).
 */
final class SignalStop implements AutoCloseable {
    static final long GRACE_SECONDS = 120;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    SignalStop(Trainer trainer) {
        hook = new Thread(
                () -> {
                    signalled = true;
                    trainer.stopAfterCurrentStep();
                    try {
                        done.await(GRACE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "mtlj-signal-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a signal arrived (the JVM is shutting down). */
    boolean signalled() {
        return signalled;
    }

    /** Lets a waiting shutdown proceed, or removes the hook when none began. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running; it returns now that the latch is down
        }
    }
}
