package dev.mtlj.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a results file records about the machine and versions, and resident-memory readings. */
final class Machine {
    private Machine() {}

    /** VmRSS or RssAnon from /proc/self/status, in KiB. */
    static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    static String describe() {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
        } catch (IOException ignored) {
            // keep "unknown"
        }
        return "- CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores\n"
                + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\n"
                + "- libtorch: JavaCPP presets pytorch 2.10.0-1.5.13 (CPU), OPENBLAS_NUM_THREADS="
                + System.getenv("OPENBLAS_NUM_THREADS") + "\n"
                + "- JavaCPP maxPhysicalBytes: "
                + System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "default") + "\n";
    }
}
