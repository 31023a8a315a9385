package dev.mtlj.balance;

import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * GradDrop, gradient sign dropout: Z. Chen, J. Ngiam, Y. Huang, T. Luong, H. Kretzschmar, Y. Chai, D. Anguelov,
 * "Just Pick a Sign: Optimizing Deep Multitask Models with Gradient Sign Dropout", NeurIPS 2020 — in torchjd's
 * form, on the rows of the shared-parameter Jacobian.
 *
 * <p>Per column: purity P = ½(1 + Σ_i g_i/Σ_i |g_i|) (½ for an all-zero column); U ~ Uniform(0, 1) per column, drawn
 * from libtorch's generator after the trainer's per-step seeding (so resumable); task i keeps its positive entries
 * where P &gt; U and its negative entries where P &lt; U; d = Σ_i (ℓ + (1 − ℓ)M_i) ⊙ g_i with leak ℓ (default 0).
 * The paper (and LibMTL) apply the rule to activation gradients with a sign correction and batch sum; that form needs
 * the activations and is not offered. Not a combination of rows: logged weights are least-squares effective
 * weights. Heads h = 1. Stateless.
 */
final class GradDrop implements RowAggregator {
    private final double leak;

    GradDrop(double leak) {
        this.leak = leak;
    }

    @Override
    public String name() {
        return "graddrop";
    }

    @Override
    public NativeScale nativeScale() {
        return NativeScale.CANONICAL;
    }

    @Override
    public Result combine(Tensor rows, RowInput in) {
        return combine(rows, torch.rand(rows.size(1)).to(rows.device(), rows.scalar_type()));
    }

    /** The rule with given uniforms U [P] (tests, standalone). */
    Result combine(Tensor rows, Tensor uniforms) {
        Tensor purity = rows.sum(0)
                .div(rows.abs().sum(0).add(new Scalar(1e-300)))
                .add(new Scalar(1))
                .mul(new Scalar(0.5));
        Tensor keepPositive = purity.gt(uniforms).to(rows.scalar_type());
        Tensor keepNegative = purity.lt(uniforms).to(rows.scalar_type());
        Tensor mask = rows.gt(new Scalar(0))
                .to(rows.scalar_type())
                .mul(keepPositive)
                .add(rows.lt(new Scalar(0)).to(rows.scalar_type()).mul(keepNegative));
        Tensor kept = mask.mul(new Scalar(1 - leak)).add(new Scalar(leak));
        return new Result(kept.mul(rows).sum(0), Rows.ones((int) rows.size(0)), Map.of());
    }

    @Override
    public Map<String, Tensor> tensors() {
        return Map.of();
    }

    @Override
    public void load(Map<String, Tensor> tensors) {}

    @Override
    public void close() {}
}
