package dev.mtlj.train;

import dev.mtlj.dist.Collective;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch;

/**
 * Every trainable gradient of a data-parallel rank in one flat buffer, cut into buckets that are summed over the ranks
 * while the backward pass is still running, as PyTorch's DDP does: parameters are laid out in reverse order (backward
 * reaches the last layers first), a tensor hook on each parameter copies its gradient into its slot when autograd
 * computes it, and a bucket whose gradients are all in starts its all-reduce at once — in bucket order, the same on
 * every rank. The first bucket also carries the step's losses and stop flag, so they cost no exchange of their own.
 * After the backward pass {@link #finish} waits for the buckets and points every {@code .grad} at its reduced slot.
 *
 * <p>Owns its retained tensors and hooks until {@link #close()}. The hooks act only between {@link #arm} and
 * {@link #finish}; other backward passes (Jacobians, GradNorm's rows) pass through them untouched.
 */
final class GradBuffer implements AutoCloseable {
    /** DDP's bucket sizes: a small first bucket starts the exchange early, larger ones keep the count of calls low. */
    private static final long FIRST_BUCKET_BYTES = 1L << 20;

    private static final long BUCKET_BYTES = 25L << 20;

    private final TensorVector params;
    private final Tensor buffer;
    private final TensorVector views = new TensorVector();
    private final int tail;
    private final List<Bucket> buckets = new ArrayList<>();
    private final int[] bucketOf;
    private final boolean[] delivered;
    private final List<VoidTensorHook> hooks = new ArrayList<>();
    private final int[] hookIds;
    private Collective collective;
    private boolean armed;
    private int launched;

    /** A contiguous range of the buffer: its parameters' slots (and, for the first, the tail before them). */
    private static final class Bucket {
        final long from;
        final long length;
        final List<Integer> members = new ArrayList<>();
        int pending;
        Collective.Pending work;

        Bucket(long from, long length) {
            this.from = from;
            this.length = length;
        }
    }

    /** @param tail elements before the gradients: the losses and the stop flag */
    GradBuffer(TensorVector params, int tail, Device device, torch.ScalarType dtype) {
        this.params = params;
        this.tail = tail;
        int n = (int) params.size();
        this.bucketOf = new int[n];
        this.delivered = new boolean[n];
        this.hookIds = new int[n];
        long total = tail;
        for (int k = 0; k < n; k++) {
            total += params.get(k).numel();
        }
        long elementSize = dtype == torch.ScalarType.Double ? 8 : dtype == torch.ScalarType.Float ? 4 : 2;
        try (PointerScope scope = new PointerScope()) {
            buffer = torch.zeros(total).to(device, dtype).retainReference();
            Tensor[] slot = new Tensor[n];
            long off = tail;
            long bucketStart = 0;
            long cap = FIRST_BUCKET_BYTES;
            List<Integer> current = new ArrayList<>();
            for (int k = n - 1; k >= 0; k--) { // reverse: the order in which backward produces the gradients
                Tensor p = params.get(k);
                slot[k] = buffer.narrow(0, off, p.numel()).view_as(p);
                current.add(k);
                off += p.numel();
                if ((off - bucketStart) * elementSize >= cap || k == 0) {
                    Bucket b = new Bucket(bucketStart, off - bucketStart);
                    b.members.addAll(current);
                    for (int m : current) {
                        bucketOf[m] = buckets.size();
                    }
                    buckets.add(b);
                    current.clear();
                    bucketStart = off;
                    cap = BUCKET_BYTES;
                }
            }
            for (int k = 0; k < n; k++) {
                views.push_back(slot[k]);
            }
        }
        for (int k = 0; k < n; k++) {
            int index = k;
            VoidTensorHook hook = new VoidTensorHook() {
                @Override
                public void call(TensorBase grad) {
                    delivered(index, grad);
                }
            };
            hooks.add(hook);
            hookIds[k] = params.get(k).register_hook(hook);
        }
    }

    /**
     * Before a backward pass whose gradients are to be summed: resets the buckets and puts the step's {@code tail}
     * (the losses and stop flag; null when they were exchanged already) in the first one.
     */
    void arm(Collective c, Tensor tailValues) {
        this.collective = c;
        copyTail(tailValues);
        for (Bucket b : buckets) {
            b.pending = b.members.size();
            b.work = null;
        }
        java.util.Arrays.fill(delivered, false);
        launched = 0;
        armed = true;
    }

    /** The tail's values, or zeros when the step's losses were exchanged already (null). */
    private void copyTail(Tensor tailValues) {
        if (tailValues == null) {
            buffer.narrow(0, 0, tail).zero_();
        } else {
            buffer.narrow(0, 0, tail).copy_(tailValues);
        }
    }

    /** A gradient from autograd (on the thread running the backward pass). */
    private void delivered(int k, TensorBase grad) {
        if (!armed || delivered[k]) {
            return;
        }
        try (PointerScope scope = new PointerScope()) {
            views.get(k).copy_(new Tensor(grad));
        }
        delivered[k] = true;
        if (--buckets.get(bucketOf[k]).pending == 0) {
            launchReady();
        }
    }

    /** Starts every complete bucket whose predecessors have started, in order. */
    private void launchReady() {
        while (launched < buckets.size() && buckets.get(launched).pending == 0) {
            Bucket b = buckets.get(launched++);
            try (PointerScope scope = new PointerScope()) {
                b.work = collective.startSum(buffer.narrow(0, b.from, b.length));
            }
        }
    }

    /**
     * After the backward pass: starts the buckets still waiting (a parameter without a gradient counts as zero and
     * keeps an undefined gradient, alike on every rank), waits for all, points every delivered gradient at its summed
     * slot and returns the summed tail (caller's scope).
     */
    Tensor finish() {
        for (int k = 0; k < delivered.length; k++) {
            if (!delivered[k]) {
                views.get(k).zero_();
                buckets.get(bucketOf[k]).pending--;
            }
        }
        launchReady();
        armed = false;
        for (Bucket b : buckets) {
            b.work.await();
            b.work = null;
        }
        for (int k = 0; k < delivered.length; k++) {
            if (delivered[k]) {
                params.get(k).mutable_grad().put(views.get(k));
            } else {
                params.get(k).mutable_grad().put(new Tensor());
            }
        }
        return buffer.narrow(0, 0, tail);
    }

    /**
     * Sums the gradients as they are (set by someone other than backward: a representation-space Gramian method's
     * writes), together with {@code tailValues}, in one all-reduce of the whole buffer; returns the summed tail.
     */
    Tensor sumNow(Collective c, Tensor tailValues) {
        copyTail(tailValues);
        for (int k = 0; k < delivered.length; k++) {
            Tensor g = params.get(k).grad();
            if (!g.defined()) {
                views.get(k).zero_();
            } else if (g.data_ptr().address() != views.get(k).data_ptr().address()) {
                views.get(k).copy_(g);
            }
        }
        c.sum(buffer);
        for (int k = 0; k < delivered.length; k++) {
            if (params.get(k).grad().defined()) {
                params.get(k).mutable_grad().put(views.get(k));
            }
        }
        return buffer.narrow(0, 0, tail);
    }

    /**
     * Detaches the gradients from the buffer (undefined), so that the optimizer's {@code zero_grad}, which detaches
     * gradients in place, does not meet a view ("Can't detach views in-place").
     */
    void release() {
        for (long k = 0; k < params.size(); k++) {
            params.get(k).mutable_grad().put(new Tensor());
        }
    }

    @Override
    public void close() {
        for (int k = 0; k < hookIds.length; k++) {
            params.get(k).remove_hook(hookIds[k]);
        }
        hooks.forEach(VoidTensorHook::close);
        views.close();
        buffer.close();
    }
}
