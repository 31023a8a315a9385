package dev.mtlj.testing;

import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * The device that device-agnostic tests run on: system property {@code mtlj.test.device} (auto, cpu, cuda,
 * cuda:N; default cpu). CI runs them on the CPU; on a GPU host {@code -Dmtlj.test.device=cuda} runs the same tests
 * on CUDA (benchmarks/gpu/host/test).
 */
public final class TestDevice {
    private TestDevice() {}

    /** The resolved test device (a cached, borrowed handle). */
    public static Device get() {
        return Engine.device(DeviceSpec.parse(System.getProperty("mtlj.test.device", "cpu")));
    }

    /** {@code model} moved to the test device in float32. */
    public static MultiTaskModel on(MultiTaskModel model) {
        return on(model, torch.ScalarType.Float);
    }

    /** {@code model} moved to the test device in {@code dtype}. */
    public static MultiTaskModel on(MultiTaskModel model, torch.ScalarType dtype) {
        model.to(get(), dtype);
        return model;
    }

    /** Whether tests run on CUDA. */
    public static boolean cuda() {
        return get().is_cuda();
    }
}
