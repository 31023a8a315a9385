package dev.mtlj.engine;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * A region of libtorch autocast on one thread (the C++ counterpart of {@code torch.autocast}): opened with
 * try-with-resources around a forward pass and its losses; closing it restores the previous state and, when the
 * outermost region ends, drops autocast's cache of casted weights. {@link Precision#FP32} opens a no-op region.
 */
@dev.mtlj.NativeApi
public final class Autocast implements AutoCloseable {
    private final torch.DeviceType type;
    private final boolean wasEnabled;
    private final torch.ScalarType previousDtype;

    private Autocast(torch.DeviceType type) {
        this.type = type;
        if (type == null) {
            wasEnabled = false;
            previousDtype = null;
            return;
        }
        wasEnabled = torch.is_autocast_enabled(type);
        previousDtype = torch.get_autocast_dtype(type);
        torch.set_autocast_dtype(type, torch.ScalarType.BFloat16);
        torch.set_autocast_enabled(type, true);
        torch.increment_nesting();
    }

    /** Enters autocast for {@code device} at {@code precision}. */
    public static Autocast enter(Precision precision, Device device) {
        if (precision == Precision.FP32) {
            return new Autocast(null);
        }
        return new Autocast(device.is_cuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU);
    }

    @Override
    public void close() {
        if (type == null) {
            return;
        }
        if (torch.decrement_nesting() == 0) {
            torch.clear_cache();
        }
        torch.set_autocast_enabled(type, wasEnabled);
        torch.set_autocast_dtype(type, previousDtype);
    }
}
