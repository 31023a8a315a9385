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
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    private static final List<TaskSpec> TASKS = List.of(TaskSpec.of("r", TaskKind.REGRESSION, 2));
    private static final TrainerState STATE =
            new TrainerState(7, 1, 0, 3, "ew", Map.of(), null, new double[] {0.5}, new long[] {2}, "{\"a\":1}");

    private static MultiTaskModel model(int hidden) {
        return MultiTaskModel.build(
                new ModelSpec(new MlpSpec(List.of(hidden), 0.0), null, null, null), new long[] {3}, TASKS);
    }

    private static double firstWeightSum(MultiTaskModel m) {
        try (PointerScope s = new PointerScope()) {
            return m.network().parameters().get(0).sum().item_double();
        }
    }

    @Test
    void roundTripRestoresWeightsAndState(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latest.ckpt");
        try (MultiTaskModel a = model(4);
                MultiTaskModel b = model(4)) {
            CheckpointFile.save(f, a.network(), null, STATE);
            CheckpointFile.load(f, b.network(), null, Engine.device(DeviceSpec.parse("cpu")));
            assertThat(firstWeightSum(b)).isEqualTo(firstWeightSum(a));
        }
        assertThat(CheckpointFile.readState(f)).usingRecursiveComparison().isEqualTo(STATE);
    }

    /** A crash half-way through writing leaves the previous checkpoint in place and loadable, and no temp file. */
    @Test
    void failedSaveKeepsThePreviousCheckpoint(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latest.ckpt");
        try (MultiTaskModel a = model(4);
                MultiTaskModel b = model(4);
                MultiTaskModel c = model(4)) {
            CheckpointFile.save(f, a.network(), null, STATE);
            byte[] before = Files.readAllBytes(f);
            CheckpointFile.Saver crashing = (target, writer) -> AtomicFiles.write(target, tmp -> {
                writer.write(tmp);
                Files.write(tmp, new byte[] {1, 2, 3}); // torn content...
                throw new IOException("simulated power loss"); // ...and the process dies before the rename
            });
            assertThatThrownBy(() -> CheckpointFile.save(f, b.network(), null, STATE, crashing))
                    .hasMessageContaining("simulated");
            assertThat(Files.readAllBytes(f)).isEqualTo(before);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("latest.ckpt");
            }
            CheckpointFile.load(f, c.network(), null, Engine.device(DeviceSpec.parse("cpu")));
            assertThat(firstWeightSum(c)).isEqualTo(firstWeightSum(a));
        }
    }

    /** Only libtorch's own errors are the file's fault: a Java fault (a closed model) is not reported as bad input. */
    @Test
    void aJavaFaultIsNotBlamedOnTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.ckpt");
        try (MultiTaskModel a = model(4)) {
            CheckpointFile.save(f, a.network(), null, STATE);
        }
        MultiTaskModel closed = model(4);
        closed.close();
        assertThatThrownBy(() -> CheckpointFile.load(f, closed.network(), null, Engine.device(DeviceSpec.parse("cpu"))))
                .isNotInstanceOf(UserInputException.class)
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void wrongShapesMissingAndCorruptFilesAreClearErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.ckpt");
        try (MultiTaskModel a = model(4);
                MultiTaskModel wide = model(5)) {
            CheckpointFile.save(f, a.network(), null, STATE);
            assertThatThrownBy(
                            () -> CheckpointFile.load(f, wide.network(), null, Engine.device(DeviceSpec.parse("cpu"))))
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("does not fit this model")
                    .hasMessageContaining("[4, 3] in the checkpoint, the model expects [5, 3]");
        }
        assertThatThrownBy(() -> CheckpointFile.readState(dir.resolve("missing.ckpt")))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("does not exist");
        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "not a zip");
        assertThatThrownBy(() -> CheckpointFile.readState(junk))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("is not a readable mtlj checkpoint");
    }
}
