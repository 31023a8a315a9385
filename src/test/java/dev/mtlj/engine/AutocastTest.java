package dev.mtlj.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.testing.TestDevice;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class AutocastTest {
    /** Inside a bf16 region a linear layer computes in bfloat16; outside, and after it closes, in float32. */
    @Test
    void bf16RegionCastsProductsAndRestores() {
        Device device = TestDevice.get();
        torch.DeviceType type = device.is_cuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        try (PointerScope scope = new PointerScope();
                LinearImpl lin = new LinearImpl(4, 3)) {
            lin.to(device, torch.ScalarType.Float, false);
            Tensor x = torch.randn(2, 4).to(device, torch.ScalarType.Float);
            try (Autocast outer = Autocast.enter(Precision.BF16, device)) {
                assertThat(lin.forward(x).scalar_type().intern()).isEqualTo(torch.ScalarType.BFloat16);
                try (Autocast inner = Autocast.enter(Precision.BF16, device)) {
                    assertThat(torch.is_autocast_enabled(type)).isTrue();
                }
                assertThat(torch.is_autocast_enabled(type))
                        .as("still inside the outer region")
                        .isTrue();
                // losses are float32 under autocast's policy
                assertThat(torch.mse_loss(lin.forward(x), torch.zeros(2, 3).to(device, torch.ScalarType.Float))
                                .scalar_type()
                                .intern())
                        .isEqualTo(torch.ScalarType.Float);
            }
            assertThat(torch.is_autocast_enabled(type)).isFalse();
            assertThat(lin.forward(x).scalar_type().intern()).isEqualTo(torch.ScalarType.Float);
            try (Autocast none = Autocast.enter(Precision.FP32, device)) {
                assertThat(lin.forward(x).scalar_type().intern()).isEqualTo(torch.ScalarType.Float);
            }
        }
    }

    @Test
    void precisionNamesAreChecked() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.BF16.toString()).isEqualTo("bf16");
        assertThatThrownBy(() -> Precision.parse("fp16"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("precision 'fp16' is not valid; allowed: fp32, bf16");
    }
}
