package dev.mtlj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every checkpoint carries its SHA-256 and every load verifies it: damaged files are refused by name before libtorch
 * reads them (before, 16 flipped bytes loaded silently and served a y3 MAE of 4.8e25).
 */
class CheckpointIntegrityTest {
    private static final List<TaskSpec> TASKS = List.of(TaskSpec.of("r", TaskKind.REGRESSION, 2));
    private static final TrainerState STATE =
            new TrainerState(7, 1, 0, 3, "ew", Map.of(), null, new double[] {0.5}, new long[] {2}, "{\"a\":1}");

    private static MultiTaskModel model() {
        Engine.seed(3);
        return MultiTaskModel.build(
                new ModelSpec(new MlpSpec(List.of(4), 0.0), null, null, null), new long[] {3}, TASKS);
    }

    private static float[] weights(MultiTaskModel m) {
        try (PointerScope s = new PointerScope()) {
            org.bytedeco.pytorch.TensorVector ps = m.network().parameters();
            org.bytedeco.pytorch.TensorVector flat = new org.bytedeco.pytorch.TensorVector();
            for (long i = 0; i < ps.size(); i++) {
                flat.push_back(ps.get(i).reshape(-1));
            }
            return dev.mtlj.engine.Tensors.toFloats(org.bytedeco.pytorch.global.torch.cat(flat));
        }
    }

    private static Path saved(Path dir) throws IOException {
        Path f = dir.resolve("good.ckpt");
        try (MultiTaskModel m = model()) {
            CheckpointFile.save(f, m.network(), null, STATE);
        }
        return f;
    }

    /** The load every front end does: state, then weights into a fresh model. */
    private static float[] load(Path f) {
        CheckpointFile.readState(f);
        try (MultiTaskModel m = model()) {
            CheckpointFile.load(f, m.network(), null, Engine.device(DeviceSpec.parse("cpu")));
            return weights(m);
        }
    }

    /**
     * 240 damaged copies — 120 single-bit flips and 60 overwritten runs of 1–64 bytes at uniform offsets (the digest
     * record included), 60 truncations — are each refused with a message naming the file; none loads.
     */
    @Test
    void everyDamagedCopyIsRefused(@TempDir Path dir) throws IOException {
        Path good = saved(dir);
        byte[] bytes = Files.readAllBytes(good);
        float[] expected = load(good);
        Random rnd = new Random(42);
        int refused = 0;
        for (int v = 0; v < 240; v++) {
            byte[] bad;
            String what;
            if (v < 120) {
                bad = bytes.clone();
                int at = rnd.nextInt(bad.length);
                bad[at] ^= (byte) (1 << rnd.nextInt(8));
                what = "bit flip at " + at;
            } else if (v < 180) {
                bad = bytes.clone();
                int len = 1 + rnd.nextInt(64);
                int at = rnd.nextInt(bad.length - len);
                byte[] run = new byte[len];
                do {
                    rnd.nextBytes(run);
                } while (Arrays.equals(run, Arrays.copyOfRange(bytes, at, at + len)));
                System.arraycopy(run, 0, bad, at, len);
                what = len + " bytes at " + at;
            } else {
                int len = rnd.nextInt(bytes.length);
                bad = Arrays.copyOf(bytes, len);
                what = "truncated to " + len;
            }
            Path f = dir.resolve("bad-" + v + ".ckpt");
            Files.write(f, bad);
            assertThatThrownBy(() -> load(f))
                    .as(what)
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining(f.toString())
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("is corrupt", "not a readable"));
            refused++;
        }
        assertThat(refused).isEqualTo(240);
        assertThat(load(good)).as("the intact file still loads").containsExactly(expected);
    }

    /** A flip inside the tensor data — the case that loaded silently before — names the checksum. */
    @Test
    void aFlipInsideTheWeightsIsAChecksumMismatch(@TempDir Path dir) throws IOException {
        Path f = saved(dir);
        byte[] bytes = Files.readAllBytes(f);
        int at = (int) (bytes.length * 0.3);
        for (int k = 0; k < 16; k++) {
            bytes[at + k] ^= (byte) 0x5a;
        }
        Files.write(f, bytes);
        assertThatThrownBy(() -> load(f))
                .isInstanceOf(UserInputException.class)
                .hasMessage("checkpoint '" + f + "' is corrupt (checksum mismatch); use an earlier checkpoint");
    }

    /**
     * A file without a seal — from before checksums, or with the comment stripped to dodge the check (the probe's
     * defect 3: an altered file then loaded with a warning) — is refused by default, naming the option; with
     * {@code --allow-unsealed} the same file loads, identically.
     */
    @Test
    void anUnsealedCheckpointIsRefusedUnlessAllowedByName(@TempDir Path dir) throws IOException {
        Path f = saved(dir);
        float[] expected = load(f);
        byte[] bytes = Files.readAllBytes(f);
        int comment = 12 + 64; // "mtlj-sha256:" + hex
        byte[] old = Arrays.copyOf(bytes, bytes.length - comment);
        old[old.length - 2] = 0; // comment length, as libtorch writes it
        old[old.length - 1] = 0;
        Path legacy = dir.resolve("legacy.ckpt");
        Files.write(legacy, old);
        assertThat(Checksum.verify(legacy)).isEqualTo(Checksum.Status.UNVERIFIED);
        assertThatThrownBy(() -> load(legacy))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("checkpoint '" + legacy + "' carries no checksum")
                .hasMessageContaining("--allow-unsealed");
        CheckpointFile.allowUnsealed(true);
        try {
            assertThat(load(legacy)).containsExactly(expected);
        } finally {
            CheckpointFile.allowUnsealed(false);
        }
        assertThat(Checksum.verify(f)).isEqualTo(Checksum.Status.VERIFIED);
    }

    /**
     * Every load verifies, on the very bytes it parses: a file damaged in place after it loaded once, with its size and
     * modification time put back (the probe's defect 2: a per-path cache then skipped the check), is refused.
     */
    @Test
    void aFileDamagedInPlaceIsRefusedOnTheNextLoad(@TempDir Path dir) throws IOException {
        Path f = saved(dir);
        load(f);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(f, bytes);
        Files.setLastModifiedTime(f, mtime);
        assertThat(Files.size(f)).isEqualTo(bytes.length);
        assertThatThrownBy(() -> load(f))
                .isInstanceOf(UserInputException.class)
                .hasMessage("checkpoint '" + f + "' is corrupt (checksum mismatch); use an earlier checkpoint");
    }
}
