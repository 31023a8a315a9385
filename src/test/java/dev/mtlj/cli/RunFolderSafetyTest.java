package dev.mtlj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder is never damaged by a resume that should not happen, and a refused run leaves none behind: the probe's
 * defects 1 (another run's checkpoint resumed silently, rewriting config.yaml and dropping records) and 9 (bad input
 * leaving a folder; a run killed before its first checkpoint that could not be resumed).
 */
class RunFolderSafetyTest {
    private record Outcome(int code, String err) {}

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Outcome(code, err.toString());
    }

    private static Path config(Path dir, String name, String hidden) throws IOException {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                String.join(
                        "\n",
                        "name: " + name,
                        "device: cpu",
                        "threads: 1",
                        "output: " + dir.resolve("runs"),
                        "data: {type: gradnorm-toy, sigmas: [1, 10], input_dim: 8, output_dim: 4, classes: 3, train: 64,"
                                + " val: 32, test: 32}",
                        "model: {backbone: {type: mlp, hidden: " + hidden + "}}",
                        "train: {steps: 6, batch_size: 16, log_every: 2, eval_every: 3, checkpoint_every: 3}",
                        ""));
    }

    /** Every file of a folder and its bytes, to show that nothing changed. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private static void refused(Outcome o, String message) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(message).doesNotContain("\tat ");
        assertThat(o.err().strip().lines()).hasSize(1);
    }

    @Test
    void anotherRunsCheckpointIsRefusedAndTheFolderIsUntouched(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--config", config(dir, "a", "[8]").toString(), "-q")
                        .code())
                .isZero();
        assertThat(run("train", "--config", config(dir, "b", "[6, 6]").toString(), "-q")
                        .code())
                .isZero();
        Path a = dir.resolve("runs/a");
        Path b = dir.resolve("runs/b");
        assertThat(a.resolve("run.json")).exists();
        Files.copy(
                b.resolve("checkpoints/latest.ckpt"),
                a.resolve("checkpoints/latest.ckpt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> before = snapshot(a);

        refused(run("train", "--resume", a.toString(), "-q"), "belongs to another run");
        refused(
                run(
                        "train",
                        "--resume",
                        b.resolve("checkpoints/latest.ckpt").toString(),
                        "--config",
                        dir.resolve("a.yaml").toString()),
                "the config's 'name' differs");
        assertThat(snapshot(a)).isEqualTo(before);

        // a folder's own checkpoint, but a config that would make it another run
        refused(
                run("train", "--resume", b.toString(), "--set", "model.backbone.hidden=[7]", "-q"),
                "the config's 'model' differs from that of the run in " + b);
        assertThat(run("train", "--resume", b.toString(), "--set", "train.steps=8", "-q")
                        .code())
                .isZero();
    }

    @Test
    void badBalancerOrBatchLeavesNoRunFolder(@TempDir Path dir) throws Exception {
        Path cfg = config(dir, "c", "[8]");
        refused(run("train", "--config", cfg.toString(), "--set", "balancer.type=gradnrom", "-q"), "gradnrom");
        refused(
                run("train", "--config", cfg.toString(), "--set", "balancer={type: gradnorm, alpah: 1.5}", "-q"),
                "alpah");
        refused(
                run("train", "--config", cfg.toString(), "--set", "train.batch_size=65", "-q"),
                "train.batch_size 65 exceeds the 64 training examples");
        assertThat(dir.resolve("runs/c")).doesNotExist();
        assertThat(dir.resolve("runs/c-2")).doesNotExist();
    }

    /**
     * A model too large to allocate is a user error naming the sizes (it was exit 1, "internal error", a libtorch trace,
     * and a run folder left behind). A 2^20 × 2^20 layer asks libtorch for 4 TiB, which Linux refuses at once unless
     * it is set to overcommit without limit.
     */
    @Test
    void aModelTooLargeToAllocateIsAUserErrorAndLeavesNoFolder(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.readString(Path.of("/proc/sys/vm/overcommit_memory"))
                        .strip()
                        .equals("1"),
                "this kernel overcommits without limit: the allocation would succeed and be touched");
        Path cfg = config(dir, "huge", "[1048576, 1048576]");
        refused(run("train", "--config", cfg.toString(), "-q"), "the model does not fit in memory");
        assertThat(dir.resolve("runs/huge")).doesNotExist();
    }

    /** A run stopped before its first checkpoint resumes from step 0 in its own folder (before: "no checkpoint at"). */
    @Test
    void aRunStoppedBeforeItsFirstCheckpointResumesFromTheStart(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--config", config(dir, "d", "[8]").toString(), "-q")
                        .code())
                .isZero();
        Path d = dir.resolve("runs/d");
        String full = Files.readString(d.resolve("metrics.jsonl"));
        // what a kill before the first checkpoint leaves: the folder, its identity and config, part of the metrics
        try (Stream<Path> ckpts = Files.list(d.resolve("checkpoints"))) {
            for (Path f : ckpts.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(d.resolve("summary.json"));
        Files.writeString(d.resolve("metrics.jsonl"), full.lines().findFirst().orElseThrow() + "\n");

        assertThat(run("train", "--resume", d.toString(), "-q").code()).isZero();
        assertThat(Files.readString(d.resolve("metrics.jsonl"))).isEqualTo(full);
        assertThat(d.resolve("summary.json")).exists();

        Files.delete(d.resolve("checkpoints/latest.ckpt"));
        refused(run("train", "--resume", d.toString(), "-q"), "finished but holds no checkpoints/latest.ckpt");
        refused(run("train", "--resume", dir.toString(), "-q"), "is not an mtlj run folder");
    }
}
