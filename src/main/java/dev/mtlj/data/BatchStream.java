package dev.mtlj.data;

import dev.mtlj.random.Rng;

/**
 * An endless stream of training mini-batches (example indices) over {@code n} examples: each epoch is a
 * fresh permutation drawn from {@code (seed, epoch)}; an incomplete final batch is dropped so every step sees
 * {@code batchSize} rows. The position ({@link #epoch()}, {@link #offset()}) is the whole state, so a resumed
 * run continues with exactly the batches the uninterrupted run would have drawn.
 */
public final class BatchStream {
    private final int n;
    private final int batchSize;
    private final long seed;
    private int epoch;
    private int offset;
    private int[] order;

    /**
     * @param n         the number of examples
     * @param batchSize examples per batch
     * @param seed      seed of the shuffles
     */
    public BatchStream(int n, int batchSize, long seed) {
        this(n, batchSize, seed, 0, 0);
    }

    /** Resumes at a saved position. */
    public BatchStream(int n, int batchSize, long seed, int epoch, int offset) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (n < batchSize) {
            throw new dev.mtlj.UserInputException(
                    "batch_size " + batchSize + " exceeds the " + n + " training examples; lower train.batch_size");
        }
        this.n = n;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epoch = epoch;
        this.offset = offset;
        this.order = permutation(epoch);
    }

    /** The next batch's example indices. */
    public int[] next() {
        if (offset + batchSize > n) {
            epoch++;
            offset = 0;
            order = permutation(epoch);
        }
        int[] batch = java.util.Arrays.copyOfRange(order, offset, offset + batchSize);
        offset += batchSize;
        return batch;
    }

    /** Examples the stream draws from. */
    public int size() {
        return n;
    }

    /** Completed passes over the data (0-based epoch of the next batch, before wrap-around). */
    public int epoch() {
        return epoch;
    }

    /** Position inside the current epoch's permutation. */
    public int offset() {
        return offset;
    }

    private int[] permutation(int e) {
        return Rng.derived(seed, e).permutation(n);
    }
}
