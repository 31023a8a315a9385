package dev.mtlj.train;

import java.nio.file.Path;

/** Writes {@code latest.ckpt} every {@code train.checkpoint_every} steps (0: at the end only), at the end and on an early stop. */
final class Checkpoints implements TrainingListener {
    private final Trainer trainer;
    private final Path latest;
    private final long every;

    Checkpoints(Trainer trainer, Path dir, long every) {
        this.trainer = trainer;
        this.latest = dir.resolve("latest.ckpt");
        this.every = every;
    }

    @Override
    public void onStep(StepResult r) {
        long done = trainer.stepsDone();
        if ((every > 0 && done % every == 0) || done == trainer.totalSteps() || trainer.stopRequested()) {
            trainer.checkpoint(latest);
        }
    }
}
