package dev.mtlj.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.cuda.DeviceStats;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * Device memory held by libtorch's CUDA caching allocator ({@code torch.cuda.memory_allocated} /
 * {@code memory_reserved} in Python). Only the GPU build has these natives: call it for CUDA devices only.
 */
@dev.mtlj.NativeApi
public final class CudaMemory {
    private CudaMemory() {}

    /** Bytes in live tensors on {@code device} now. */
    public static long allocatedBytes(Device device) {
        try (PointerScope scope = new PointerScope()) {
            return stats(device).allocated_bytes().current(); // element 0: all pools together
        }
    }

    /** Bytes the allocator has taken from the driver on {@code device} (live tensors plus its cache). */
    public static long reservedBytes(Device device) {
        try (PointerScope scope = new PointerScope()) {
            return stats(device).reserved_bytes().current();
        }
    }

    private static DeviceStats stats(Device device) {
        if (!device.is_cuda()) {
            throw new IllegalArgumentException(
                    "CUDA memory asked of a non-CUDA device " + device.str().getString());
        }
        return torch_cuda.getAllocator().getDeviceStats(device.index());
    }
}
