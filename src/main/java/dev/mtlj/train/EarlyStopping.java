package dev.mtlj.train;

import dev.mtlj.task.MetricKind;
import java.nio.file.Path;

/**
 * Early stopping on a validation quantity ({@link EarlyStoppingSpec}): tracks the best value, writes
 * {@code best.ckpt} when it improves (with a checkpoint folder), and stops training once {@code patience} evaluations
 * brought no improvement. State: best value, its step, evaluations without improvement (checkpointed).
 */
final class EarlyStopping implements TrainingListener {
    private final Trainer trainer;
    private final EarlyStoppingSpec spec;
    private final Path bestPath;
    private final boolean maximise;
    private double best;
    private long bestStep = -1;
    private int badEvals;

    EarlyStopping(Trainer trainer, EarlyStoppingSpec spec, Path bestPath) {
        this.trainer = trainer;
        this.spec = spec;
        this.bestPath = bestPath;
        this.maximise = spec.mode() != null ? spec.mode().equals("max") : defaultMaximise(spec.metric());
        this.best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    private static boolean defaultMaximise(String key) {
        int dot = key.lastIndexOf('.');
        String m = dot < 0 ? key : key.substring(dot + 1);
        for (MetricKind k : MetricKind.values()) {
            if (k.configName().equals(m)) {
                return k.higherIsBetter();
            }
        }
        return false; // losses
    }

    @Override
    public void onReport(Report r) {
        if (!r.split().equals("val")) {
            return;
        }
        if (update(r) && bestPath != null) {
            trainer.checkpoint(bestPath);
        }
        if (badEvals >= spec.patience()) {
            trainer.requestStop();
        }
    }

    /** Records an evaluation; returns whether it is a new best. */
    boolean update(Report val) {
        double v = val.value(spec.metric());
        boolean better = maximise ? v > best + spec.minDelta() : v < best - spec.minDelta();
        if (better) {
            best = v;
            bestStep = val.step();
            badEvals = 0;
        } else {
            badEvals++;
        }
        return better;
    }

    long bestStep() {
        return bestStep;
    }

    double[] state() {
        return new double[] {best, bestStep, badEvals};
    }

    void restore(double[] s) {
        best = s[0];
        bestStep = (long) s[1];
        badEvals = (int) s[2];
    }
}
