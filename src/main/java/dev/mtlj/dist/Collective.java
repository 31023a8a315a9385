package dev.mtlj.dist;

import dev.mtlj.NativeApi;
import org.bytedeco.pytorch.Tensor;

/**
 * The processes of a data-parallel run and the collectives among them: every rank calls the same operations in the same
 * order with tensors of the same shape. Operations block until every rank took part; a rank that died, hung or cannot
 * be reached turns into a {@link RankFailedException} naming it within {@code dist.timeout_s}, never a hang.
 *
 * <p>{@link #single()} is the one-process world, where every operation is a no-op; the trainer uses it unless a
 * launcher started several processes ({@link #join}).
 */
public interface Collective extends AutoCloseable {
    /** This process's rank. */
    int rank();

    /** Number of processes. */
    int size();

    /** In place: the sum of {@code t} over the ranks. */
    @NativeApi
    void sum(Tensor t);

    /**
     * Starts summing {@code t} over the ranks in place and returns at once; the sum is there after
     * {@link Pending#await()}. Sums started on one rank must be started in the same order on every rank.
     */
    @NativeApi
    Pending startSum(Tensor t);

    /** A collective in flight. */
    interface Pending {
        /** Waits for it; a lost rank is a {@link RankFailedException}. */
        void await();
    }

    /** In place: the elementwise maximum of {@code t} over the ranks. */
    @NativeApi
    void max(Tensor t);

    /** In place: rank {@code root}'s values of {@code t}. */
    @NativeApi
    void broadcast(Tensor t, int root);

    /** Returns, on every rank, the value rank 0 passes (the other ranks' argument is ignored). */
    String share(String key, String valueOnRankZero);

    /**
     * Tells the other ranks that this one stops because of {@code cause}, so they stop at once naming it instead of
     * waiting out the timeout. Best effort; never throws.
     */
    void fail(String cause);

    /** Leaves the group. */
    @Override
    void close();

    /** The one-process world. */
    static Collective single() {
        return SingleProcess.INSTANCE;
    }

    /**
     * Joins the run {@code world} describes: connects to (or, on rank 0, starts) the rendezvous store and forms the
     * process group; {@link #single()} when the world has one process.
     *
     * @param cuda whether training runs on CUDA (for {@link CommBackend#AUTO})
     */
    static Collective join(WorldInfo world, DistSpec spec, boolean cuda) {
        return world.distributed() ? ProcessGroupCollective.join(world, spec, cuda) : single();
    }
}
