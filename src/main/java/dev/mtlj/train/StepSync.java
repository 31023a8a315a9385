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
 * the method allows: the task losses (and a stop flag) ride along with the first quantity a step reduces anyway — the
 * Jacobian's rows, the Gramian, GradNorm's rows or the gradients — unless someone reads them earlier.
 *
 * <p>Each rank holds a shard of the step's global batch. Its task losses are scaled by s_i = W·n_i/N_i (n_i: task i's
 * labelled rows in the shard, N_i: in the global batch), so that the mean over ranks of anything linear in the
 * losses — losses, gradients, Jacobian rows — is exactly the global batch's. In a one-process run every method returns
 * its input and nothing is scaled.
 */
final class StepSync {
    private final Collective collective;
    private final double[] scales;
    private Tensor localLosses;
    private Tensor losses;
    private double[] values;
    private boolean stopLocal;
    private boolean stop;

    /**
     * @param scales per task s_i, or null in a one-process run
     */
    StepSync(Collective collective, double[] scales) {
        this.collective = collective;
        this.scales = scales;
    }

    boolean single() {
        return collective.size() == 1;
    }

    /** Number of ranks. */
    int size() {
        return collective.size();
    }

    /** This rank's task losses, scaled for the mean over ranks (in place of the list's entries). */
    void scale(List<Tensor> taskLosses) {
        if (scales == null) {
            return;
        }
        for (int i = 0; i < taskLosses.size(); i++) {
            taskLosses.set(i, taskLosses.get(i).mul(new Scalar(scales[i])));
        }
    }

    /** The step's stacked (scaled) losses; reduced on first use. {@code stopRequested}: this rank wants to stop. */
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
            mean(List.of());
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

    /** Whether any rank asked to stop after this step (known once the losses were reduced). */
    boolean stopRequested() {
        losses();
        return stop;
    }

    /**
     * The mean over ranks of {@code parts}, in one all-reduce of a flat buffer in the first part's dtype (float32
     * parts in a float64 buffer are exact); the losses ride along while pending. Returns the reduced parts in their
     * shapes and dtypes (caller's scope).
     */
    List<Tensor> mean(List<Tensor> parts) {
        if (single()) {
            return parts;
        }
        boolean withLosses = losses == null;
        torch.ScalarType type =
                parts.isEmpty() ? localLosses.scalar_type() : parts.get(0).scalar_type();
        TensorVector flat = new TensorVector();
        for (Tensor p : parts) {
            flat.push_back(p.detach().reshape(-1).to(type));
        }
        if (withLosses) {
            flat.push_back(localLosses.detach().reshape(-1).to(type));
            flat.push_back(torch.full(new long[] {1}, new Scalar(stopLocal ? 1.0 : 0.0))
                    .to(localLosses.device(), type));
        }
        Tensor buffer = torch.cat(flat);
        collective.mean(buffer);
        List<Tensor> out = new ArrayList<>(parts.size());
        long off = 0;
        for (Tensor p : parts) {
            long n = p.numel();
            out.add(buffer.narrow(0, off, n).view(p.sizes().vec().get()).to(p.scalar_type()));
            off += n;
        }
        if (withLosses) {
            long t = localLosses.numel();
            losses = buffer.narrow(0, off, t).to(localLosses.scalar_type());
            stop = buffer.narrow(0, off + t, 1).item_double() > 0;
        }
        return out;
    }

    /** Replaces every defined gradient of {@code params} by its mean over ranks (one all-reduce). */
    void meanGradients(TensorVector params) {
        if (single()) {
            return;
        }
        List<Tensor> grads = new ArrayList<>();
        for (long k = 0; k < params.size(); k++) {
            Tensor g = params.get(k).grad();
            if (g.defined()) {
                grads.add(g);
            }
        }
        List<Tensor> reduced = mean(grads);
        for (int k = 0; k < grads.size(); k++) {
            grads.get(k).copy_(reduced.get(k));
        }
    }

    /** The mean over ranks of a Jacobian: its rows and every defined head gradient, in one all-reduce. */
    GradientProbe.Jacobian mean(GradientProbe.Jacobian j) {
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
        List<Tensor> reduced = mean(parts);
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
