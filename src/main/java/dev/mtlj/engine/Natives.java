package dev.mtlj.engine;

import java.io.IOException;
import org.bytedeco.javacpp.Loader;
import org.slf4j.LoggerFactory;

/**
 * Readies the libtorch natives before their first use. With the GPU natives and an empty JavaCPP cache, JavaCPP
 * extracts each library just before loading it and preloads {@code libc10_cuda}/{@code libtorch_cuda} before
 * {@code libc10.so} and {@code libtorch_cpu.so} are on disk; the dynamic linker then cannot resolve them, JavaCPP
 * treats the failed preloads as optional, and that whole JVM sees no CUDA (seen on an H100 host, docs/gpu.md; the
 * next JVM works). Extracting the GPU natives' folder first avoids it. A no-op for the CPU natives.
 */
public final class Natives {
    private static volatile boolean done;

    private Natives() {}

    /** Call before any libtorch class is touched (the CLI does; {@link Engine} does on first use). */
    public static synchronized void prepare() {
        if (done) {
            return;
        }
        done = true;
        String dir = "/org/bytedeco/pytorch/" + Loader.getPlatform() + "-gpu/";
        if (Natives.class.getResource(dir + "libtorch_cuda.so") == null) {
            return;
        }
        try {
            Loader.cacheResources(dir);
        } catch (IOException e) {
            LoggerFactory.getLogger(Natives.class)
                    .warn(
                            "could not extract the GPU natives ahead of loading ({});"
                                    + " if CUDA is reported unavailable, run again with the cache filled",
                            e.getMessage());
        }
    }
}
