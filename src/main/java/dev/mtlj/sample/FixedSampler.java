package dev.mtlj.sample;

/**
 * A fixed distribution, i.i.d. draws. Covers {@code uniform} (p_i = 1/T), {@code proportional} (p_i ∝ n_i),
 * {@code temperature} (p_i ∝ n_i^{1/τ}; N. Arivazhagan et al., "Massively Multilingual Neural Machine Translation in
 * the Wild", arXiv:1907.05019, 2019) and user-given {@code fixed} probabilities.
 */
public final class FixedSampler implements TaskSampler {
    private final String name;
    private final double[] p;
    private final long seed;

    /**
     * @param name the config name
     * @param p    the probabilities (summing to 1)
     * @param seed seed of the draws
     */
    public FixedSampler(String name, double[] p, long seed) {
        this.name = name;
        this.p = p.clone();
        this.seed = seed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] probabilities(long step) {
        return p.clone();
    }

    @Override
    public int next(long step) {
        return Distributions.draw(p, seed, step);
    }
}
