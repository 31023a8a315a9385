package dev.mtlj.train;

import java.nio.file.Path;

/**
 * Writes {@code latest.ckpt} every {@code train.checkpoint_every} steps (0: at the end only) and when the fit ends:
 * after its last step, an early stop or {@link Trainer#stopAfterCurrentStep()}.
 */
final class Checkpoints implements TrainingListener {
    private final Trainer trainer;
    private final Path latest;
    private final long every;

    Checkpoints(Trainer trainer, Path dir, long every) {
        this.trainer = trainer;
        this.latest = dir.resolve("latest.ckpt");
        this.every = every;
    }

    private long saved = -1;

    @Override
    public void onStep(StepResult r) {
        long done = trainer.stepsDone();
        if (every > 0 && done % every == 0) {
            save(done);
        }
    }

    @Override
    public void onEnd(FitResult result) {
        if (saved != result.stepsDone()) {
            save(result.stepsDone());
        }
    }

    private void save(long done) {
        if (trainer.checkpoint(latest)) {
            saved = done;
        }
    }
}
