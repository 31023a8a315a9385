package dev.mtlj.engine;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Copies between tensors and Java arrays. Temporaries land in the caller's PointerScope. */
@dev.mtlj.NativeApi
public final class Tensors {
    private Tensors() {}

    /** All elements, row-major, as float (copies to the host; synchronises with the device). */
    public static float[] toFloats(Tensor t) {
        Tensor host = t.detach().to(Engine.cpu(), torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) host.numel()];
        host.data_ptr_float().get(out);
        return out;
    }

    /** All elements, row-major, as double (copies to the host; synchronises with the device). */
    public static double[] toDoubles(Tensor t) {
        Tensor host = t.detach().to(Engine.cpu(), torch.ScalarType.Double).contiguous();
        double[] out = new double[(int) host.numel()];
        host.data_ptr_double().get(out);
        return out;
    }

    /** A 1-D tensor of {@code values} on {@code device} with {@code dtype}; no host wait on CUDA ({@link #upload}). */
    public static Tensor vector(double[] values, Device device, torch.ScalarType dtype) {
        return upload(host(values, values.length), device, dtype);
    }

    /*
     * Host tensors from Java arrays with one bulk copy (JNI array region = memcpy). The presets' Tensor.create
     * copies element by element through an indexer: 16,000 floats took 8 µs that way (a served batch of 64).
     */

    /** A new host float tensor of {@code shape} holding {@code values} (row-major). */
    public static Tensor host(float[] values, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Float), null);
        t.data_ptr_float().put(values);
        return t;
    }

    /** A new host double tensor of {@code shape} holding {@code values} (row-major). */
    public static Tensor host(double[] values, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Double), null);
        t.data_ptr_double().put(values);
        return t;
    }

    /** A new host int64 tensor of {@code shape} holding {@code values} (row-major). */
    public static Tensor host(long[] values, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Long), null);
        t.data_ptr_long().put(values);
        return t;
    }

    /**
     * A host tensor copied to {@code device} as {@code dtype}. On CUDA the copy goes through pinned memory and is
     * non-blocking, so the host does not wait for the device (a pageable copy would synchronise the stream);
     * libtorch's caching host allocator keeps the pinned block until the copy has run.
     */
    public static Tensor upload(Tensor host, Device device, torch.ScalarType dtype) {
        if (!device.is_cuda()) {
            return host.to(device, dtype);
        }
        Tensor pinned = host.to(dtype).pin_memory();
        return pinned.to(device, dtype, true, false, new MemoryFormatOptional());
    }

    /** Columns per chunk of {@link #gramian}: a float64 copy of T × 16,384 stays in cache. */
    private static final long GRAMIAN_CHUNK = 16_384;

    /**
     * H = J·Jᵀ of the rows J [T, P] in float64, on their device (caller's scope). Float32 rows are converted chunk by
     * chunk into one reused float64 buffer and accumulated with {@code addmm_}: exact products, float64 sums, without
     * a float64 copy of the whole Jacobian (at T = 4, P = 10⁶ that copy took 14 ms of the 15). A float32 product
     * would be 3–20× faster and wrong where it matters: on two nearly colinear rows its smallest eigenvalue came out
     * −0.19 instead of 0.50 (benchmarks/results/*-aggregators.md).
     */
    @dev.mtlj.NativeApi
    public static Tensor gramian(Tensor rows) {
        long t = rows.size(0);
        long p = rows.size(1);
        Tensor h = torch.zeros(t, t).to(rows.device(), torch.ScalarType.Double);
        if (rows.scalar_type() == torch.ScalarType.Double || p <= GRAMIAN_CHUNK) {
            Tensor j = rows.to(torch.ScalarType.Double);
            return h.addmm_(j, j.t());
        }
        Tensor buffer = torch.empty(t, GRAMIAN_CHUNK).to(rows.device(), torch.ScalarType.Double);
        for (long s = 0; s < p; s += GRAMIAN_CHUNK) {
            long k = Math.min(GRAMIAN_CHUNK, p - s);
            Tensor b = k == GRAMIAN_CHUNK ? buffer : buffer.narrow(1, 0, k);
            b.copy_(rows.narrow(1, s, k));
            h.addmm_(b, b.t());
        }
        return h;
    }
}
