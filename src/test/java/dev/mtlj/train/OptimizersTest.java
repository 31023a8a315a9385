package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.Test;

class OptimizersTest {
    /**
     * One scalar w, loss_t = c_t·w with c = (1, 3), Adam lr 0.1, β = (0.5, 0.9), ε ≈ 0.
     * Step 1: m̂ = v̂ = 1 → Δw = −0.1.
     * Step 2: m = 0.5·0.5 + 0.5·3 = 1.75, m̂ = 1.75/(1−0.25) = 2.333333;
     *         v = 0.9·0.1 + 0.1·9 = 0.99, v̂ = 0.99/(1−0.81) = 5.210526; Δw = −0.1·2.333333/2.282658 = −0.102220.
     * With β1 and β2 swapped step 2 would be −0.081563, so this pins the tuple order.
     */
    @Test
    void adamFollowsTheTextbookUpdateWithGivenBetas() {
        try (PointerScope scope = new PointerScope()) {
            Tensor w = Tensor.create(new double[] {0.0}, 1).requires_grad_(true);
            OptimizerSpec spec = new OptimizerSpec(OptimizerType.ADAM, 0.1, null, null, List.of(0.5, 0.9), 1e-12, 0.0);
            Optimizer opt = Optimizers.create(spec, new TensorVector(w));
            for (double c : new double[] {1, 3}) {
                opt.zero_grad();
                w.mul(Tensor.create(new double[] {c}, 1)).sum().backward();
                opt.step();
            }
            assertThat(w.item_double()).isCloseTo(-0.1 - 0.102220, within(1e-6));
        }
    }

    /** SGD with momentum 0.9, lr 0.1, gradients 1 then 3: v = 1, then 0.9·1 + 3 = 3.9; w = −0.1 − 0.39. */
    @Test
    void sgdMomentumMatchesHandComputation() {
        try (PointerScope scope = new PointerScope()) {
            Tensor w = Tensor.create(new double[] {0.0}, 1).requires_grad_(true);
            Optimizer opt = Optimizers.create(
                    new OptimizerSpec(OptimizerType.SGD, 0.1, 0.9, null, null, null, 0.0), new TensorVector(w));
            for (double c : new double[] {1, 3}) {
                opt.zero_grad();
                w.mul(Tensor.create(new double[] {c}, 1)).sum().backward();
                opt.step();
            }
            assertThat(w.item_double()).isCloseTo(-0.49, within(1e-12));
        }
    }
}
