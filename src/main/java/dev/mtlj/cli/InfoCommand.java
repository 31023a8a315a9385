package dev.mtlj.cli;

import dev.mtlj.engine.Engine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code mtlj info}: what this installation runs on (the peer of PyTorch's collect_env): Java, the libtorch natives
 * and their platform, thread counts, and whether CUDA is usable with how many devices.
 */
@Command(
        name = "info",
        header = "Show Java, the libtorch natives (CPU or GPU), threads and CUDA devices.",
        mixinStandardHelpOptions = true,
        description = "Print the Java runtime, libtorch natives, threads and CUDA devices this installation sees.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("java:        " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        boolean gpuNatives = getClass()
                        .getClassLoader()
                        .getResource("org/bytedeco/pytorch/" + Loader.getPlatform() + "-gpu/libjnitorch.so")
                != null;
        out.println("libtorch:    JavaCPP presets " + presetsVersion() + ", " + Loader.getPlatform()
                + (gpuNatives ? " GPU natives" : " CPU natives"));
        out.println(
                "threads:     intra-op " + torch.get_num_threads() + ", inter-op " + torch.get_num_interop_threads());
        boolean cuda = Engine.cudaAvailable();
        out.println(
                "cuda:        " + (cuda ? "available, " + torch.cuda_device_count() + " device(s)" : "not available"));
        return 0;
    }

    private static String presetsVersion() {
        try {
            return Loader.getVersion("org.bytedeco", "pytorch");
        } catch (java.io.IOException e) {
            return "(version unreadable: " + e.getMessage() + ")";
        }
    }
}
