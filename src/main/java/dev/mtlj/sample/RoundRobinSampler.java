package dev.mtlj.sample;

/** Round-robin: task π[s mod T] at step s (π = the configured order). Deterministic; exact counts ⌊S/T⌋ or ⌈S/T⌉. */
public final class RoundRobinSampler implements TaskSampler {
    private final int[] order;

    /**
     * @param order the task indices in visiting order
     */
    public RoundRobinSampler(int[] order) {
        this.order = order.clone();
    }

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public double[] probabilities(long step) {
        double[] p = new double[order.length];
        p[order[(int) (step % order.length)]] = 1;
        return p;
    }

    @Override
    public int next(long step) {
        return order[(int) (step % order.length)];
    }
}
