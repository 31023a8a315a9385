package dev.mtlj.sample;

/**
 * Annealed sampling: A. C. Stickland, I. Murray, "BERT and PALs: Projected Attention Layers for Efficient Adaptation
 * in Multi-Task Learning", ICML 2019. p_i(e) ∝ n_i^{α(e)} with α(e) = 1 − 0.8(e − 1)/(E − 1) for the 1-based epoch
 * e = 1..E (E = 1: α = 1), going from proportional to near-uniform; an epoch is {@code stepsPerEpoch} steps and α is
 * constant within it; after epoch E, α stays 0.2.
 */
public final class AnnealedSampler implements TaskSampler {
    private final long[] sizes;
    private final int epochs;
    private final long stepsPerEpoch;
    private final long seed;

    /**
     * @param sizes         the tasks' training set sizes
     * @param epochs        epochs over which the temperature anneals
     * @param stepsPerEpoch steps in one epoch
     * @param seed          seed of the draws
     */
    public AnnealedSampler(long[] sizes, int epochs, long stepsPerEpoch, long seed) {
        this.sizes = sizes.clone();
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "annealed";
    }

    /** α for a 1-based epoch. */
    double alpha(long epoch) {
        if (epochs == 1) {
            return 1;
        }
        long e = Math.min(epoch, epochs);
        return 1 - 0.8 * (e - 1) / (epochs - 1);
    }

    @Override
    public double[] probabilities(long step) {
        return Distributions.power(sizes, alpha(step / stepsPerEpoch + 1));
    }

    @Override
    public int next(long step) {
        return Distributions.draw(probabilities(step), seed, step);
    }
}
