package dev.mtlj.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mtlj CLI in a child JVM, as tests start it: this JVM's java and class path, JavaCPP's RSS check off and OpenBLAS
 * single-threaded, as the launcher sets them. Every child started here runs under the same settings, so two of them
 * compute the same bits on the same machine.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code java [jvmFlags] … dev.mtlj.cli.Main [args]}; the caller sets redirections and starts it. */
    public static ProcessBuilder mtlj(List<String> jvmFlags, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of(
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mtlj.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        return pb;
    }
}
