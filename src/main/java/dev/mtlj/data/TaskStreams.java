package dev.mtlj.data;

import dev.mtlj.UserInputException;
import dev.mtlj.random.Rng;
import java.util.List;

/**
 * One endless, reshuffling batch stream per task over the training rows labelled for that task (sampled training):
 * task k's stream has its own size n_k, batch size b_k, epoch counter and permutation seed, derived from the run
 * seed. The streams' positions are the whole state, so a resumed run draws the same batches.
 */
public final class TaskStreams {
    private final int[][] rows;
    private final BatchStream[] streams;

    /**
     * @param rows       per task, the training rows labelled for it
     * @param batchSizes per task batch size
     * @param epochs     saved positions (or null to start), per task
     * @param offsets    saved positions (or null to start), per task
     */
    public TaskStreams(List<String> tasks, int[][] rows, int[] batchSizes, long seed, int[] epochs, int[] offsets) {
        this.rows = rows;
        this.streams = new BatchStream[rows.length];
        for (int k = 0; k < rows.length; k++) {
            if (rows[k].length < batchSizes[k]) {
                throw new UserInputException(
                        "task '" + tasks.get(k) + "' has " + rows[k].length + " labelled training examples,"
                                + " fewer than its batch size " + batchSizes[k] + "; lower tasks." + tasks.get(k)
                                + ".batch_size"
                                + (rows[k].length == 0 ? " or give the task training data" : ""));
            }
            long streamSeed = Rng.derived(seed, 1_000_003L + k).nextLong();
            streams[k] = epochs == null
                    ? new BatchStream(rows[k].length, batchSizes[k], streamSeed)
                    : new BatchStream(rows[k].length, batchSizes[k], streamSeed, epochs[k], offsets[k]);
        }
    }

    /** Training rows of task {@code k}'s next batch. */
    public int[] next(int k) {
        int[] positions = streams[k].next();
        int[] out = new int[positions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[k][positions[i]];
        }
        return out;
    }

    /** Labelled training examples per task. */
    public long[] sizes() {
        long[] n = new long[rows.length];
        for (int k = 0; k < n.length; k++) {
            n[k] = rows[k].length;
        }
        return n;
    }

    /** Per task, the epochs completed. */
    public int[] epochs() {
        int[] e = new int[streams.length];
        for (int k = 0; k < e.length; k++) {
            e[k] = streams[k].epoch();
        }
        return e;
    }

    /** Per task, the position in its current epoch. */
    public int[] offsets() {
        int[] o = new int[streams.length];
        for (int k = 0; k < o.length; k++) {
            o[k] = streams[k].offset();
        }
        return o;
    }
}
