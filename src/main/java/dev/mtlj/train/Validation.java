package dev.mtlj.train;

import dev.mtlj.data.DeviceData;
import dev.mtlj.dist.Collective;

/**
 * Evaluates the validation split every {@code train.eval_every} steps (0: at the end only) and publishes the report. In
 * a data-parallel run rank 0 evaluates and the other ranks receive its report, so every rank decides alike.
 */
final class Validation implements TrainingListener {
    private final Trainer trainer;
    private final DeviceData val;
    private final long every;
    private final Collective collective;
    private Report last;

    Validation(Trainer trainer, DeviceData val, long every, Collective collective) {
        this.trainer = trainer;
        this.val = val;
        this.every = every;
        this.collective = collective;
    }

    @Override
    public void onStep(StepResult r) {
        long done = trainer.stepsDone();
        if ((every > 0 && done % every == 0) || done == trainer.totalSteps()) {
            if (collective.size() == 1) {
                last = trainer.evaluate(val, "val", r.step(), r.lr());
            } else if (collective.rank() == 0) {
                last = trainer.evaluate(val, "val", r.step(), r.lr());
                collective.share("val/" + done, ReportCodec.encode(last));
            } else {
                last = ReportCodec.decode(collective.share("val/" + done, null));
            }
            trainer.publish(last);
        }
    }

    /** The last validation report, or null. */
    Report last() {
        return last;
    }
}
