package dev.mtlj.train;

import dev.mtlj.data.DeviceData;

/** Evaluates the validation split every {@code train.eval_every} steps (0: at the end only) and publishes the report. */
final class Validation implements TrainingListener {
    private final Trainer trainer;
    private final DeviceData val;
    private final long every;
    private Report last;

    Validation(Trainer trainer, DeviceData val, long every) {
        this.trainer = trainer;
        this.val = val;
        this.every = every;
    }

    @Override
    public void onStep(StepResult r) {
        long done = trainer.stepsDone();
        if ((every > 0 && done % every == 0) || done == trainer.totalSteps()) {
            last = trainer.evaluate(val, "val", r.step(), r.lr());
            trainer.publish(last);
        }
    }

    /** The last validation report, or null. */
    Report last() {
        return last;
    }
}
