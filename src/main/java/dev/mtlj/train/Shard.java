package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.data.Batch;
import dev.mtlj.data.DeviceData;
import dev.mtlj.dist.Collective;

/**
 * This rank's part of a step's global batch: rows r, r+W, r+2W, … of it (DistributedSampler's strided split), so every
 * rank sees each task about equally often, also when a sampled step concatenates task batches.
 *
 * @param batch    this rank's rows, gathered on the device
 * @param labelled per task, labelled rows in the global batch
 * @param scales   per task n_i/N_i (this rank's labelled rows of task i over the global batch's), or null for one
 *                 process
 */
record Shard(Batch batch, int[] labelled, double[] scales) {
    static Shard of(DeviceData train, int[] rows, Collective collective, long step) {
        int w = collective.size();
        if (w == 1) {
            Batch b = train.batch(rows);
            return new Shard(b, b.labelled(), null);
        }
        if (rows.length < w) {
            throw new UserInputException("step " + (step + 1) + " has " + rows.length + " rows for " + w + " ranks;"
                    + " train.batch_size is the global batch (split across the ranks), so it needs at least one row"
                    + " per rank");
        }
        int r = collective.rank();
        int[] mine = new int[(rows.length - r + w - 1) / w];
        for (int i = r, k = 0; i < rows.length; i += w, k++) {
            mine[k] = rows[i];
        }
        Batch b = train.batch(mine);
        int[] global = train.labelledCounts(rows);
        double[] scales = new double[global.length];
        for (int i = 0; i < global.length; i++) {
            scales[i] = global[i] == 0 ? 0 : (double) b.labelled()[i] / global[i];
        }
        return new Shard(b, global, scales);
    }
}
