package dev.mtlj.run;

import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The embedded quick-start config (GradNorm toy, HPS MLP), shared by the CLI and the benchmarks. */
public final class Quickstart {
    private Quickstart() {}

    /** The YAML text as shipped. */
    public static String yaml() {
        try (InputStream in = Quickstart.class.getResourceAsStream("quickstart.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config with {@code key=value} overrides applied. */
    public static RunConfig config(List<String> overrides) {
        return ConfigLoader.parse(yaml(), "the embedded quickstart config", overrides);
    }
}
