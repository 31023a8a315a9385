package dev.mtlj.balance;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Small helpers on Jacobian rows (caller's scope). */
final class Rows {
    private Rows() {}

    /** A [T, 1] column on the rows' device and dtype, for row-wise scaling. */
    static Tensor column(double[] v, Tensor like) {
        return dev.mtlj.engine.Tensors.host(v, v.length, 1).to(like.device(), like.scalar_type());
    }

    /** A [T] vector on the rows' device and dtype. */
    static Tensor vector(double[] v, Tensor like) {
        return dev.mtlj.engine.Tensors.host(v, v.length).to(like.device(), like.scalar_type());
    }

    static double[] ones(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        return x;
    }

    static Tensor zerosLike(Tensor t) {
        return torch.zeros_like(t);
    }
}
