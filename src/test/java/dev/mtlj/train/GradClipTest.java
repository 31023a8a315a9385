package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.engine.Tensors;
import dev.mtlj.testing.TestDevice;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The device-side clip against libtorch's own {@code clip_grad_norm_} (an independent implementation). */
class GradClipTest {
    /** Gradients with global norm sqrt(3² + 4² + 12²) = 13: clipped to 5 (factor 5/13) or left alone under 20. */
    @ParameterizedTest
    @ValueSource(doubles = {5.0, 20.0})
    void matchesLibtorch(double maxNorm) {
        Device device = TestDevice.get();
        try (PointerScope scope = new PointerScope()) {
            TensorVector ours = params(device);
            TensorVector theirs = params(device);
            GradClip.clip(ours, maxNorm);
            double norm = torch.clip_grad_norm_(theirs, maxNorm);
            assertThat(norm).isCloseTo(13.0, within(1e-5));
            double factor = Math.min(1.0, maxNorm / (13.0 + 1e-6));
            double[] expected = {3 * factor, 0, 4 * factor, 12 * factor};
            for (int k = 0; k < 2; k++) {
                double[] a = Tensors.toDoubles(ours.get(k).grad());
                double[] b = Tensors.toDoubles(theirs.get(k).grad());
                assertThat(a).containsExactly(b, within(1e-6));
                assertThat(a)
                        .containsExactly(
                                k == 0
                                        ? new double[] {expected[0], expected[1]}
                                        : new double[] {expected[2], expected[3]},
                                within(1e-6));
            }
        }
    }

    private static TensorVector params(Device device) {
        Tensor a = torch.zeros(2).to(device, torch.ScalarType.Float).requires_grad_(true);
        Tensor b = torch.zeros(2).to(device, torch.ScalarType.Float).requires_grad_(true);
        Tensor frozen = torch.zeros(3).to(device, torch.ScalarType.Float); // no grad: skipped by both
        a.mutable_grad().put(Tensors.vector(new double[] {3, 0}, device, torch.ScalarType.Float));
        b.mutable_grad().put(Tensors.vector(new double[] {4, 12}, device, torch.ScalarType.Float));
        return new TensorVector(a, b, frozen);
    }
}
