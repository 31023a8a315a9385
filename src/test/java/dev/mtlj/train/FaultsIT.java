package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtlj.balance.Balancers;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults during training: failed checkpoint writes (injected, and a real full disk) and diverging runs. */
class FaultsIT {
    private static final DataSplits DATA = TinyProblem.generate(6, 256, 32, 32, 8);

    private static TrainSpec spec(long steps) {
        return TrainSpec.defaults()
                .withSteps(steps)
                .withBatchSize(16)
                .withLogEvery(5)
                .withEvalEvery(0)
                .withCheckpointEvery(5)
                .withOptimizer(OptimizerSpec.adam(1e-2));
    }

    private interface Body {
        void run(Trainer t, DeviceData train) throws Exception;
    }

    private static void train(TrainSpec spec, Path ckptDir, Body body) throws Exception {
        Engine.seed(4);
        try (MultiTaskModel model = TestDevice.on(MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(12), 0.0), null, null, null), new long[] {6}, DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, Balancers.equal(3))
                        .spec(spec)
                        .seed(4)
                        .checkpointDir(ckptDir)
                        .build()) {
            body.run(t, train);
        }
    }

    /** A listener that, after the first checkpoint, makes the next write fail: a directory where the temp file goes. */
    private static TrainingListener blockAfterFirstCheckpoint(Path ckptDir) {
        return new TrainingListener() {
            @Override
            public void onCheckpoint(long stepsDone, Path path) {
                try {
                    Files.createDirectories(ckptDir.resolve(
                            ".latest.ckpt.tmp-" + ProcessHandle.current().pid()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * A checkpoint write that fails (here injected: the temporary path is taken) stops the run with a one-line message
     * naming the file; the temporary file is gone and the previous checkpoint is intact, verified and loadable.
     */
    @Test
    void aFailedCheckpointWriteStopsTheRunAndKeepsTheLastGoodOne(@TempDir Path dir) throws Exception {
        Path ckpts = Files.createDirectories(dir.resolve("checkpoints"));
        train(
                spec(12),
                ckpts,
                (t, train) -> assertThatThrownBy(() -> t.fit(train, null, List.of(blockAfterFirstCheckpoint(ckpts))))
                        .isInstanceOf(CheckpointWriteException.class)
                        .hasMessageStartingWith(
                                "could not write checkpoint " + ckpts.resolve("latest.ckpt") + " after step 10")
                        .hasMessageEndingWith("; the previous checkpoint there, if any, is unchanged"));
        assertThat(files(ckpts)).containsExactly("latest.ckpt"); // the blocking directory was removed as the temp file
        assertThat(CheckpointFile.readState(ckpts.resolve("latest.ckpt")).stepsDone())
                .isEqualTo(5);
    }

    /**
     * With {@code on_checkpoint_error: warn} the run goes on without the checkpoint it could not write (step 10, the
     * blocker removed with the failed write) and the next one (step 12, the end) is written as scheduled.
     */
    @Test
    void warnPolicyTrainsOnWithoutThatCheckpoint(@TempDir Path dir) throws Exception {
        Path ckpts = Files.createDirectories(dir.resolve("checkpoints"));
        List<Long> written = new java.util.ArrayList<>();
        TrainingListener blocker = blockAfterFirstCheckpoint(ckpts);
        train(spec(12).withOnCheckpointError(CheckpointFailurePolicy.WARN), ckpts, (t, train) -> {
            FitResult r = t.fit(train, null, List.of(blocker, new TrainingListener() {
                @Override
                public void onCheckpoint(long stepsDone, Path path) {
                    written.add(stepsDone);
                }
            }));
            assertThat(r.stepsDone()).isEqualTo(12);
        });
        assertThat(written).containsExactly(5L, 12L);
        assertThat(CheckpointFile.readState(ckpts.resolve("latest.ckpt")).stepsDone())
                .isEqualTo(12);
    }

    /**
     * A real full disk: a tmpfs too small for a second checkpoint beside the first. Before, libtorch's writer threw from
     * a destructor and the JVM aborted (exit 134) leaving its temp file; now the write fails as an IOException, the
     * run stops naming the cause, and the first checkpoint is intact. Needs root to mount; skipped otherwise.
     */
    @Test
    void aFullDiskStopsTheRunCleanly(@TempDir Path dir) throws Exception {
        long size;
        Path probe = Files.createDirectories(dir.resolve("probe"));
        train(spec(5), probe, (t, train) -> t.fit(train, null));
        size = Files.size(probe.resolve("latest.ckpt"));
        Path mount = Files.createDirectories(dir.resolve("small"));
        long kib = (size * 3 / 2) / 1024 + 4; // room for one checkpoint, not for its successor beside it
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(
                mounted,
                "cannot mount a tmpfs here (needs root): "
                        + new String(p.getInputStream().readAllBytes()));
        try {
            Path ckpts = Files.createDirectories(mount.resolve("checkpoints"));
            train(
                    spec(12),
                    ckpts,
                    (t, train) -> assertThatThrownBy(() -> t.fit(train, null))
                            .isInstanceOf(CheckpointWriteException.class)
                            .hasMessageContaining("after step 10")
                            .hasMessageContaining("No space left on device"));
            assertThat(files(ckpts)).containsExactly("latest.ckpt");
            assertThat(CheckpointFile.readState(ckpts.resolve("latest.ckpt")).stepsDone())
                    .isEqualTo(5);
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A diverging run (Adam at lr 1e30) stops with a one-line {@link DivergenceException}, and no checkpoint of the
     * diverged model is written: equal weighting reads no loss per step, so the check before the step-5 checkpoint
     * catches it.
     */
    @Test
    void aDivergingRunStopsByNameAndWritesNoDivergedCheckpoint(@TempDir Path dir) throws Exception {
        Path ckpts = Files.createDirectories(dir.resolve("checkpoints"));
        train(
                spec(20).withOptimizer(OptimizerSpec.adam(1e30)),
                ckpts,
                (t, train) -> assertThatThrownBy(() -> t.fit(train, null))
                        .isInstanceOf(DivergenceException.class)
                        .hasMessageContaining("lower the learning rate")
                        .hasMessageContaining("train.on_nonfinite: skip"));
        assertThat(files(ckpts)).isEmpty();
    }

    /** With {@code on_nonfinite: skip} non-finite steps are skipped, counted, and never reach the parameters. */
    @Test
    void skipPolicySkipsNonFiniteSteps(@TempDir Path dir) throws Exception {
        Path ckpts = Files.createDirectories(dir.resolve("checkpoints"));
        train(
                spec(20).withOptimizer(OptimizerSpec.adam(1e30)).withOnNonFinite(NonFinitePolicy.SKIP),
                ckpts,
                (t, train) -> {
                    FitResult r = t.fit(train, null);
                    assertThat(r.stepsDone()).isEqualTo(20);
                    assertThat(r.skippedSteps()).isPositive().isEqualTo(t.skippedSteps());
                });
        try (PointerScope s = new PointerScope();
                MultiTaskModel fresh = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(12), 0.0), null, null, null), new long[] {6}, DATA.tasks())) {
            CheckpointFile.load(ckpts.resolve("latest.ckpt"), fresh.network(), null, Engine.cpu());
            org.bytedeco.pytorch.TensorVector ps = fresh.network().parameters();
            for (long i = 0; i < ps.size(); i++) {
                assertThat(ps.get(i).isfinite().all().item_bool())
                        .as("parameter %d finite", i)
                        .isTrue();
            }
            assertThat(CheckpointFile.readState(ckpts.resolve("latest.ckpt")).skippedSteps())
                    .isPositive();
        }
    }
}
