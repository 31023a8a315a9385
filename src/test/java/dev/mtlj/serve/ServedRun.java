package dev.mtlj.serve;

import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One small trained run shared by the serving tests (trained once per JVM, ~2 s): the GradNorm toy with two
 * regression tasks (y1, y2: 100 outputs each from 250 inputs) and a 3-class task, an MLP, 60 Adam steps.
 */
public final class ServedRun {
    private static Path dir;
    private static RunConfig config;

    private ServedRun() {}

    /** The run directory (trains on first use). */
    public static synchronized Path dir() {
        if (dir == null) {
            try {
                Path out = Files.createTempDirectory("mtlj-served-run");
                config = ConfigLoader.parse("""
                        name: served
                        seed: 3
                        device: cpu
                        threads: 1
                        output: %s
                        data: {type: gradnorm-toy, sigmas: [1, 10], classes: 3, train: 300, val: 100, test: 120}
                        model: {backbone: {type: mlp, hidden: [32, 16]}, head: {}}
                        balancer: {type: ew}
                        train: {steps: 60, batch_size: 32, optimizer: {type: adam, lr: 0.003}, log_every: 20,
                                eval_every: 0, checkpoint_every: 0}
                        """.formatted(out), "the serving test config", List.of());
                dir = Run.train(config).dir();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** Its config (after {@link #dir()}). */
    public static RunConfig config() {
        dir();
        return config;
    }
}
