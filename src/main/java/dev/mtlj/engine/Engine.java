package dev.mtlj.engine;

import dev.mtlj.UserInputException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide libtorch settings: thread pools, seeding and device resolution.
 *
 * <p>libtorch allows the inter-op pool size to be set once, before any parallel work; call
 * {@link #configureThreads(int)} first thing. {@link Device} handles returned here are cached process-wide
 * constants (retained, never freed): callers borrow them.
 */
public final class Engine {
    private static final Map<String, Device> DEVICES = new ConcurrentHashMap<>();
    private static volatile boolean interopSet;

    static {
        Natives.prepare();
        pinBlasThreads(System.getenv("OPENBLAS_NUM_THREADS"));
    }

    private Engine() {}

    private static volatile int configured;
    private static final ThreadLocal<Integer> ADOPTED = ThreadLocal.withInitial(() -> 0);

    /**
     * Sets intra-op threads to {@code threads} (0 keeps libtorch's default, the core count); the first
     * call also sets the inter-op pool to the same size.
     */
    public static synchronized void configureThreads(int threads) {
        if (threads < 0) {
            throw new UserInputException("threads must be >= 0 (0 = libtorch default), got " + threads);
        }
        if (threads == 0) {
            return;
        }
        if (!interopSet) {
            interopSet = true;
            try {
                torch.set_num_interop_threads(threads);
            } catch (RuntimeException alreadyStarted) {
                // Parallel work already ran in this process (e.g. another run in the same JVM): keep its pool.
            }
        }
        torch.set_num_threads(threads);
        configured = threads;
        ADOPTED.set(threads);
    }

    /**
     * Runs OpenBLAS single-threaded inside libtorch's own threads unless the user chose a count
     * ({@code OPENBLAS_NUM_THREADS}, passed as {@code env}): OpenBLAS threads on top of libtorch's oversubscribe the
     * cores (200 quickstart steps embedded without the variable took 52 s instead of 14 s on 2 cores). Returns whether
     * it pinned. The OpenBLAS that libtorch calls is the presets' own library, so this reaches it.
     */
    static boolean pinBlasThreads(String env) {
        if (env != null && !env.isBlank()) {
            return false;
        }
        org.bytedeco.openblas.global.openblas.blas_set_num_threads(1);
        return true;
    }

    /**
     * Applies the configured intra-op thread count in the calling thread. OpenMP keeps the count per thread, so a
     * thread other than the one that called {@link #configureThreads} (a batcher, an HTTP worker) would otherwise use
     * one OpenMP thread per core (measured: twice the server CPU per request
     * on 2 cores, 818 vs 398 µs). Cheap after the first call in a thread.
     */
    public static void adoptThreads() {
        int n = configured;
        if (n > 0 && ADOPTED.get() != n) {
            torch.set_num_threads(n);
            ADOPTED.set(n);
        }
    }

    /** Current intra-op thread count. */
    public static int threads() {
        return torch.get_num_threads();
    }

    /** Seeds libtorch's default generators (CPU and, when present, CUDA). */
    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    /** Whether the loaded natives see a usable CUDA device. */
    public static boolean cudaAvailable() {
        try {
            return torch.cuda_is_available();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** Resolves a spec to a concrete device; asking for CUDA without one is a {@link UserInputException}. */
    @dev.mtlj.NativeApi
    public static Device device(DeviceSpec spec) {
        return switch (spec.kind()) {
            case CPU -> cached("cpu");
            case AUTO -> cudaAvailable() ? cached("cuda:0") : cached("cpu");
            case CUDA -> {
                if (!cudaAvailable()) {
                    throw new UserInputException(
                            "device '" + spec + "' requested but CUDA is not available (CPU natives,"
                                    + " no GPU, or CUDA libraries not found: docs/gpu.md); use device: cpu or auto");
                }
                int count = torch.cuda_device_count();
                if (spec.index() >= count) {
                    throw new UserInputException(
                            "device '" + spec + "' requested but only " + count + " CUDA device(s) exist");
                }
                yield cached("cuda:" + spec.index());
            }
        };
    }

    /** The concrete device a spec names: {@code auto} becomes {@code cuda:0} or {@code cpu}. */
    public static DeviceSpec resolve(DeviceSpec spec) {
        return DeviceSpec.parse(device(spec).str().getString());
    }

    /** Whether a resolved device is a CUDA device. */
    @dev.mtlj.NativeApi
    public static boolean isCuda(Device device) {
        return device.is_cuda();
    }

    /** The CPU device (cached; for host copies on hot paths, without parsing a spec each time). */
    @dev.mtlj.NativeApi
    public static Device cpu() {
        return cached("cpu");
    }

    private static Device cached(String name) {
        return DEVICES.computeIfAbsent(name, n -> {
            Device d = new Device(n);
            d.retainReference(); // survives any PointerScope open on the calling thread
            return d;
        });
    }
}
