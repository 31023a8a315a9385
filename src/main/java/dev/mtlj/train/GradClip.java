package dev.mtlj.train;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Global-norm gradient clipping that stays on the device: g ← g · min(1, c / (‖g‖ + 1e-6)) with ‖g‖ the L2 norm
 * of all gradients together, as {@code torch.nn.utils.clip_grad_norm_}. libtorch's C++ {@code clip_grad_norm_}
 * returns the norm as a double, which makes the host wait for the device every step; this version never reads
 * it back. Temporaries land in the caller's PointerScope.
 */
final class GradClip {
    private GradClip() {}

    static void clip(TensorVector params, double maxNorm) {
        List<Tensor> grads = new ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g.defined()) {
                grads.add(g);
            }
        }
        if (grads.isEmpty()) {
            return;
        }
        TensorVector norms = new TensorVector();
        for (Tensor g : grads) {
            norms.push_back(g.detach().norm().to(torch.ScalarType.Float));
        }
        Tensor total = torch.stack(norms).norm();
        Tensor coef = total.add(new Scalar(1e-6))
                .reciprocal()
                .mul(new Scalar(maxNorm))
                .clamp_max(new Scalar(1.0));
        for (Tensor g : grads) {
            g.mul_(coef.to(g.scalar_type()));
        }
    }

    /** Whether every defined gradient is finite (one device→host read). */
    static boolean finite(TensorVector params) {
        TensorVector flags = new TensorVector();
        for (long i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g.defined()) {
                flags.push_back(g.isfinite().all());
            }
        }
        return flags.size() == 0 || torch.stack(flags).all().item_bool();
    }
}
