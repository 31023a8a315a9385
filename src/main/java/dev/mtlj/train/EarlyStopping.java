package dev.mtlj.train;

import dev.mtlj.task.MetricKind;

/** Tracks the best validation value of an {@link EarlyStoppingSpec}; state is three numbers (checkpointed). */
public final class EarlyStopping {
    private final EarlyStoppingSpec spec;
    private final boolean maximise;
    private double best;
    private long bestStep = -1;
    private int badEvals;

    public EarlyStopping(EarlyStoppingSpec spec) {
        this.spec = spec;
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

    /** Records an evaluation; returns whether it is a new best. */
    public boolean update(Report val) {
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

    /** Whether patience has run out. */
    public boolean shouldStop() {
        return badEvals >= spec.patience();
    }

    public double best() {
        return best;
    }

    public long bestStep() {
        return bestStep;
    }

    public String metric() {
        return spec.metric();
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
