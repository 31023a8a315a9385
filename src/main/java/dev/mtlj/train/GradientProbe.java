package dev.mtlj.train;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The gradient quantities balancers ask for, computed on the training device inside the caller's step scope.
 *
 * <p>Per-task gradients come from {@code torch::autograd::grad} (one backward per task with the graph retained,
 * never touching {@code .grad}), restricted to the inputs that matter: the shared parameters plus that task's own
 * head. The Gramian is formed on the device in float64 and is the only thing copied to the host (T² numbers).
 */
final class GradientProbe {
    /**
     * Task gradients.
     *
     * @param rows      [T, P] float tensor, row i = ∂L_i/∂(shared) flattened (parameters, or the representation)
     * @param headGrads per task, the gradients of that task's head parameters (undefined entries for unused ones)
     */
    record Jacobian(Tensor rows, List<TensorVector> headGrads) {}

    private GradientProbe() {}

    /** Rows w.r.t. {@code shared} (parameters or a detached representation), plus each head's own gradient. */
    static Jacobian jacobian(List<Tensor> losses, TensorVector shared, List<TensorVector> heads) {
        int t = losses.size();
        List<Tensor> rows = new ArrayList<>(t);
        List<TensorVector> headGrads = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            TensorVector inputs = new TensorVector();
            for (long k = 0; k < shared.size(); k++) {
                inputs.push_back(shared.get(k));
            }
            TensorVector head = heads.get(i);
            for (long k = 0; k < head.size(); k++) {
                inputs.push_back(head.get(k));
            }
            TensorVector g = torch.grad(
                    new TensorVector(losses.get(i)),
                    inputs,
                    new TensorVector(),
                    new BoolOptional(i < t - 1),
                    false,
                    true);
            TensorVector flat = new TensorVector();
            for (long k = 0; k < shared.size(); k++) {
                Tensor gk = g.get(k);
                flat.push_back(
                        gk.defined()
                                ? gk.reshape(-1)
                                : torch.zeros_like(shared.get(k)).reshape(-1));
            }
            rows.add(torch.cat(flat));
            TensorVector hg = new TensorVector();
            for (long k = 0; k < head.size(); k++) {
                hg.push_back(g.get(shared.size() + k));
            }
            headGrads.add(hg);
        }
        return new Jacobian(torch.stack(new TensorVector(rows.toArray(new Tensor[0]))), headGrads);
    }

    /** H = J·Jᵀ in float64, symmetrised, on the host. */
    static double[][] gramian(Tensor rows) {
        return toHost(gramianOnDevice(rows), 1.0);
    }

    /** The Gramian J·Jᵀ of the rows in float64, on their device (not symmetrised). */
    static Tensor gramianOnDevice(Tensor rows) {
        return dev.mtlj.engine.Tensors.gramian(rows);
    }

    /** A [T, T] device Gramian on the host, symmetrised, times {@code scale}. */
    static double[][] toHost(Tensor gramian, double scale) {
        double[] flat = dev.mtlj.engine.Tensors.toDoubles(gramian);
        int t = (int) gramian.size(0);
        double[][] h = new double[t][t];
        for (int a = 0; a < t; a++) {
            for (int b = 0; b < t; b++) {
                h[a][b] = 0.5 * (flat[a * t + b] + flat[b * t + a]) * scale; // × 1.0 is exact
            }
        }
        return h;
    }

    /** Rows ∂L_i/∂W flattened, [T, |W|] (one partial backward per task: through its head and W only). */
    static Tensor rows(List<Tensor> losses, Tensor weight) {
        TensorVector rows = new TensorVector();
        for (Tensor l : losses) {
            Tensor g = grad(l, weight);
            rows.push_back(
                    g.defined() ? g.reshape(-1) : torch.zeros_like(weight).reshape(-1));
        }
        return torch.stack(rows);
    }

    /** ‖∂L_i/∂W‖ for each task (one partial backward per task: through its head and W only). */
    static double[] norms(List<Tensor> losses, Tensor weight) {
        TensorVector norms = new TensorVector();
        for (Tensor l : losses) {
            Tensor g = grad(l, weight);
            norms.push_back(
                    g.defined()
                            ? g.norm()
                            : torch.zeros(1)
                                    .to(weight.device(), weight.scalar_type())
                                    .sum());
        }
        return dev.mtlj.engine.Tensors.toDoubles(torch.stack(norms));
    }

    /** ∂loss/∂weight, keeping the graph for the next task; undefined where the loss does not reach the weight. */
    private static Tensor grad(Tensor loss, Tensor weight) {
        return torch.grad(
                        new TensorVector(loss),
                        new TensorVector(weight),
                        new TensorVector(),
                        new BoolOptional(true),
                        false,
                        true)
                .get(0);
    }

    /** Writes a flat gradient into the parameters' {@code .grad} (parameter order, as {@link #jacobian} flattens). */
    static void writeFlat(TensorVector params, Tensor flat) {
        long off = 0;
        for (long k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            long n = p.numel();
            // a copy, not a view: libtorch's zero_grad detaches grads in place, which views do not allow
            p.mutable_grad().put(flat.narrow(0, off, n).view_as(p).clone());
            off += n;
        }
    }

    /** Writes h_i times task i's own gradients into task i's parameters, for every task. */
    static void writeTaskGradients(List<TensorVector> params, List<TensorVector> grads, double[] scales) {
        for (int i = 0; i < params.size(); i++) {
            writeScaled(params.get(i), grads.get(i), scales[i]);
        }
    }

    /** Writes scale·grads into the parameters' {@code .grad}; undefined gradients leave the slot empty. */
    static void writeScaled(TensorVector params, TensorVector grads, double scale) {
        for (long k = 0; k < params.size(); k++) {
            Tensor g = grads.get(k);
            if (g.defined()) {
                params.get(k)
                        .mutable_grad()
                        .put(scale == 1 ? g.clone() : g.mul(new org.bytedeco.pytorch.Scalar(scale)));
            }
        }
    }
}
