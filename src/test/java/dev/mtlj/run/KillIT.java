package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment loses nothing but the steps since the last checkpoint: a training process is killed
 * repeatedly (while a checkpoint's temporary file exists, and between checkpoints), each time resumed from its run
 * folder, and the finished run's {@code metrics.jsonl} is byte for byte the uninterrupted run's. The stale temporary
 * files and the dead holder's lock do not stand in the way.
 *
 * <p>Every run here, the uninterrupted reference included, is a child JVM started by {@link #child} with one command
 * line and one environment: the comparison is bit for bit, so the runs must compute under identical conditions (the
 * test JVM carries other flags and an agent, and other CPUs pick other kernels; only the same process setup on the same
 * machine gives the same bits).
 */
class KillIT {
    /** A model large enough that a checkpoint write (about 2.5 MB with Adam's moments) takes a few milliseconds. */
    private static final List<String> OVERRIDES = List.of(
            "device=cpu",
            "threads=1",
            "model.backbone.hidden=[256, 256, 256]",
            "data.train=600",
            "train.steps=240",
            "train.log_every=5",
            "train.eval_every=60",
            "train.checkpoint_every=4");

    @Test
    void killedAndResumedRunEqualsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        Path expected = reference(dir, OVERRIDES);

        List<String> killed = new ArrayList<>(OVERRIDES);
        killed.add("output=" + dir.resolve("killed"));
        RunConfig cfg = Quickstart.config(killed);
        Path yaml = dir.resolve("killed.yaml");
        Files.writeString(yaml, ConfigLoader.toYaml(cfg));
        Path run = dir.resolve("killed").resolve(cfg.name());
        Path ckpts = run.resolve("checkpoints");

        int midWrite = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            boolean first = attempt == 0;
            Process p = child(first ? List.of("--config", yaml.toString()) : List.of("--resume", run.toString()));
            Path tmp = ckpts.resolve(".latest.ckpt.tmp-" + p.pid());
            if (attempt % 3 == 2) {
                // between checkpoints: once the metrics file has grown
                long size = Files.exists(run.resolve("metrics.jsonl")) ? Files.size(run.resolve("metrics.jsonl")) : 0;
                while (p.isAlive() && sizeOf(run.resolve("metrics.jsonl")) <= size + 200) {
                    Thread.onSpinWait();
                }
            } else {
                // mid-write: as soon as the temporary file of a checkpoint after the first appears
                while (p.isAlive() && !(Files.exists(ckpts.resolve("latest.ckpt")) && Files.exists(tmp))) {
                    Thread.onSpinWait();
                }
            }
            assertThat(p.isAlive())
                    .as("attempt %d: still training when killed", attempt)
                    .isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (Files.exists(tmp)) {
                midWrite++;
            }
            // verifies the SHA-256 seal (throws on a damaged file): the last good checkpoint
            assertThat(CheckpointFile.readState(ckpts.resolve("latest.ckpt")).stepsDone())
                    .isPositive();
        }
        assertThat(midWrite).as("kills that left a partial checkpoint behind").isPositive();

        finish(run);
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(Files.readAllBytes(expected));
        try (Stream<Path> left = Files.list(ckpts)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    /**
     * SIGTERM (an orchestrator draining the node) ends training after the step in progress with a checkpoint of that
     * step, exit code 143; the resumed run then equals the uninterrupted one.
     */
    @Test
    void sigtermCheckpointsTheStepInProgress(@TempDir Path dir) throws Exception {
        List<String> reference = new ArrayList<>(OVERRIDES);
        reference.add("train.checkpoint_every=0");
        Path expected = reference(dir, reference);

        List<String> stopped = new ArrayList<>(OVERRIDES);
        stopped.add("output=" + dir.resolve("stopped"));
        stopped.add("train.checkpoint_every=0"); // only the end of the run (or a stop) writes one
        RunConfig cfg = Quickstart.config(stopped);
        Path yaml = dir.resolve("stopped.yaml");
        Files.writeString(yaml, ConfigLoader.toYaml(cfg));
        Path run = dir.resolve("stopped").resolve(cfg.name());
        Process p = child(List.of("--config", yaml.toString()), dir.resolve("stderr.txt"));
        while (p.isAlive() && sizeOf(run.resolve("metrics.jsonl")) < 2000) {
            Thread.onSpinWait();
        }
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        String err = Files.readString(dir.resolve("stderr.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stopped by a signal after step (\\d+);")
                .matcher(err);
        assertThat(m.find()).as(err).isTrue();
        long step = Long.parseLong(m.group(1));
        assertThat(step).isBetween(1L, 239L);
        assertThat(CheckpointFile.readState(run.resolve("checkpoints/latest.ckpt"))
                        .stepsDone())
                .isEqualTo(step);
        assertThat(run.resolve("summary.json")).doesNotExist();

        finish(run);
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(Files.readAllBytes(expected));
    }

    /** The uninterrupted run with these overrides, trained by a child JVM; returns its metrics file. */
    private static Path reference(Path dir, List<String> overrides) throws Exception {
        List<String> reference = new ArrayList<>(overrides);
        reference.add("output=" + dir.resolve("reference"));
        RunConfig cfg = Quickstart.config(reference);
        Path yaml = dir.resolve("reference.yaml");
        Files.writeString(yaml, ConfigLoader.toYaml(cfg));
        Process p = child(List.of("--config", yaml.toString()));
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the reference run's exit code").isZero();
        return dir.resolve("reference").resolve(cfg.name()).resolve("metrics.jsonl");
    }

    /** Resumes {@code run} in a child JVM to its last step. */
    private static void finish(Path run) throws Exception {
        Process p = child(List.of("--resume", run.toString()));
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the resumed run's exit code").isZero();
        assertThat(CheckpointFile.readState(run.resolve("checkpoints/latest.ckpt"))
                        .stepsDone())
                .isEqualTo(240);
        assertThat(run.resolve("summary.json")).exists();
    }

    private static long sizeOf(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Process child(List<String> args) throws java.io.IOException {
        return child(args, null);
    }

    private static Process child(List<String> args, Path stderr) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of("train", "-q"));
        cmd.addAll(args);
        ProcessBuilder pb =
                dev.mtlj.testing.ChildJvm.mtlj(List.of(), cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(
                stderr == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stderr.toFile()));
        return pb.start();
    }
}
