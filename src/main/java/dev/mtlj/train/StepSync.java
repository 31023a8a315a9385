package dev.mtlj.train;

import dev.mtlj.dist.Collective;
import dev.mtlj.engine.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * One step's traffic with the other ranks of a data-parallel run, packed so that a step costs as few all-reduces as
 * the method allows: the task losses (and a stop flag) ride along with the first quantity a step exchanges anyway —
 * the Jacobian's rows, the Gramian, GradNorm's rows or the gradients — unless someone reads them earlier.
 *
 * <p>Each rank holds a shard of the step's global batch. Its task losses are scaled by s_i = n_i/N_i (n_i: task i's
 * labelled rows in the shard, N_i: in the global batch), so that the sum over ranks of anything linear in the losses —
 * losses, gradients, Jacobian rows — is exactly the global batch's, and every exchange is a plain sum. In a
 * one-process run every method returns its input and nothing is scaled.
 */
final class StepSync {
    private final Collective collective;
    private final double[] scales;
    private final GradBuffer grads;
    private Tensor localLosses;
    private Tensor losses;
    private double[] values;
    private boolean stopLocal;
    private boolean stop;
    private boolean armed;
    private Tensor tailSent;

    /**
     * @param scales per task s_i, or null in a one-process run
     * @param grads  the rank's gradient buffer, or null in a one-process run
     */
    StepSync(Collective collective, double[] scales, GradBuffer grads) {
        this.collective = collective;
        this.scales = scales;
        this.grads = grads;
    }

    boolean single() {
        return collective.size() == 1;
    }

    /** This rank's task losses, scaled so that their sum over ranks is the global batch's (in place of the entries). */
    void scale(List<Tensor> taskLosses) {
        if (scales == null) {
            return;
        }
        for (int i = 0; i < taskLosses.size(); i++) {
            taskLosses.set(i, taskLosses.get(i).mul(new Scalar(scales[i])));
        }
    }

    /** The step's stacked (scaled) losses; exchanged on first use. {@code stopRequested}: this rank wants to stop. */
    void losses(Tensor stacked, boolean stopRequested) {
        this.localLosses = stacked;
        this.stopLocal = stopRequested;
        if (single()) {
            losses = stacked;
            stop = stopRequested;
        }
    }

    /** The global batch's task losses on the device, [T]. */
    Tensor losses() {
        if (losses == null) {
            sum(List.of());
        }
        return losses;
    }

    /** The global batch's task losses on the host (read once). */
    double[] values() {
        if (values == null) {
            values = Tensors.toDoubles(losses());
        }
        return values;
    }

    /** Whether any rank asked to stop after this step (known once the losses were exchanged). */
    boolean stopRequested() {
        losses();
        return stop;
    }

    /** The losses and the stop flag as one tail vector in {@code type}, or null once they were exchanged. */
    private Tensor pendingTail(torch.ScalarType type) {
        if (losses != null) {
            return null;
        }
        return torch.cat(new TensorVector(
                localLosses.detach().reshape(-1).to(type),
                torch.full(new long[] {1}, new Scalar(stopLocal ? 1.0 : 0.0)).to(localLosses.device(), type)));
    }

    private void takeTail(Tensor reduced) {
        long t = localLosses.numel();
        losses = reduced.narrow(0, 0, t).to(localLosses.scalar_type());
        stop = reduced.narrow(0, t, 1).item_double() > 0;
    }

    /**
     * The sum over ranks of {@code parts}, in one all-reduce of a flat buffer in the first part's dtype (float32
     * parts in a float64 buffer are exact); the losses ride along while pending. Returns the reduced parts in their
     * shapes and dtypes (caller's scope).
     */
    List<Tensor> sum(List<Tensor> parts) {
        if (single()) {
            return parts;
        }
        torch.ScalarType type =
                parts.isEmpty() ? localLosses.scalar_type() : parts.get(0).scalar_type();
        Tensor tail = pendingTail(type);
        TensorVector flat = new TensorVector();
        for (Tensor p : parts) {
            flat.push_back(p.detach().reshape(-1).to(type));
        }
        if (tail != null) {
            flat.push_back(tail);
        }
        Tensor buffer = torch.cat(flat);
        collective.sum(buffer);
        List<Tensor> out = new ArrayList<>(parts.size());
        long off = 0;
        for (Tensor p : parts) {
            long n = p.numel();
            out.add(buffer.narrow(0, off, n).view(p.sizes().vec().get()).to(p.scalar_type()));
            off += n;
        }
        if (tail != null) {
            takeTail(buffer.narrow(0, off, tail.numel()));
        }
        return out;
    }

    /**
     * Before a backward pass whose gradients {@link #sumGradients} will exchange: their buckets are summed while the
     * backward pass runs, the pending losses riding in the first.
     */
    void prepareGradients() {
        if (!single()) {
            tailSent = pendingTail(localLosses.scalar_type());
            grads.arm(collective, tailSent);
            armed = true;
        }
    }

    /** Replaces every trainable gradient by its sum over ranks (one all-reduce when not prepared, the losses riding). */
    void sumGradients() {
        if (single()) {
            return;
        }
        Tensor tail;
        Tensor reduced;
        if (armed) {
            tail = tailSent;
            reduced = grads.finish();
            armed = false;
        } else {
            tail = pendingTail(localLosses.scalar_type());
            reduced = grads.sumNow(collective, tail);
        }
        if (tail != null) {
            takeTail(reduced);
        }
    }

    /** The sum over ranks of a Jacobian: its rows and every defined head gradient, in one all-reduce. */
    GradientProbe.Jacobian sum(GradientProbe.Jacobian j) {
        if (single()) {
            return j;
        }
        List<Tensor> parts = new ArrayList<>();
        parts.add(j.rows());
        for (TensorVector v : j.headGrads()) {
            for (long k = 0; k < v.size(); k++) {
                if (v.get(k).defined()) {
                    parts.add(v.get(k));
                }
            }
        }
        List<Tensor> reduced = sum(parts);
        List<TensorVector> heads = new ArrayList<>(j.headGrads().size());
        int at = 1;
        for (TensorVector v : j.headGrads()) {
            TensorVector r = new TensorVector();
            for (long k = 0; k < v.size(); k++) {
                r.push_back(v.get(k).defined() ? reduced.get(at++) : v.get(k));
            }
            heads.add(r);
        }
        return new GradientProbe.Jacobian(reduced.get(0), heads);
    }
}
