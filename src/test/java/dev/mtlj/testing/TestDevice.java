package dev.mtlj.testing;

import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import org.bytedeco.pytorch.Device;

/**
 * The device that device-agnostic tests run on: system property {@code mtlj.test.device} (auto, cpu, cuda,
 * cuda:N; default cpu). CI runs them on the CPU; on a GPU host {@code -Dmtlj.test.device=cuda} runs the same tests
 * on CUDA (benchmarks/gpu/host/test).
 */
public final class TestDevice {
    private TestDevice() {}

    /** The resolved test device. */
    public static DeviceSpec spec() {
        return Engine.resolve(DeviceSpec.parse(System.getProperty("mtlj.test.device", "cpu")));
    }

    /** The resolved test device as a libtorch handle (cached, borrowed), for tensor-level tests. */
    public static Device get() {
        return Engine.device(spec());
    }

    /** {@code model} moved to the test device in float32. */
    public static MultiTaskModel on(MultiTaskModel model) {
        return on(model, DType.FLOAT32);
    }

    /** {@code model} moved to the test device in {@code dtype}. */
    public static MultiTaskModel on(MultiTaskModel model, DType dtype) {
        model.to(spec(), dtype);
        return model;
    }

    /** Whether tests run on CUDA. */
    public static boolean cuda() {
        return get().is_cuda();
    }
}
