package dev.mtlj.train;

import dev.mtlj.UserInputException;
import dev.mtlj.data.BatchStream;
import dev.mtlj.data.DeviceData;

/** Joint training: every batch holds every task; one stream of epoch permutations over the training rows. */
final class JointBatches implements BatchSource {
    private final int batchSize;
    private final long seed;
    private BatchStream stream;
    private int epoch;
    private int offset;

    JointBatches(int batchSize, long seed) {
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public int[] next(long step, DeviceData train) {
        if (stream == null || stream.size() != train.size()) {
            stream = new BatchStream(train.size(), batchSize, seed, epoch, offset);
        }
        int[] rows = stream.next();
        epoch = stream.epoch();
        offset = stream.offset();
        return rows;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public Position position() {
        return new Position(epoch, offset, null, null);
    }

    @Override
    public void restore(Position p) {
        if (p.sampling() != null) {
            throw new UserInputException("the checkpoint was made with sampled training, this run uses joint training");
        }
        epoch = p.streamEpoch();
        offset = p.streamOffset();
        stream = null; // rebuilt at the restored position
    }
}
