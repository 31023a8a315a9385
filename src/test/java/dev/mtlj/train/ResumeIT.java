package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping at a checkpoint and resuming in fresh objects reproduces the uninterrupted run's losses exactly. */
class ResumeIT {
    private static final Device DEVICE = TestDevice.get();
    private static final DataSplits DATA = TinyProblem.generate(6, 300, 50, 50, 3);

    /** Dropout, SGD momentum, a step schedule and mid-epoch stops exercise every piece of resumable state. */
    private static TrainSpec spec(long steps) {
        return TrainSpec.defaults()
                .withSteps(steps)
                .withBatchSize(16)
                .withEvalBatchSize(64)
                .withOptimizer(new OptimizerSpec(OptimizerType.SGD, 0.05, 0.9, null, null, null, 1e-4))
                .withSchedule(new ScheduleSpec(ScheduleType.STEP, 5L, 10L, 0.5, null))
                .withGradClip(1.0)
                .withLogEvery(1L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L);
    }

    private static List<double[]> run(long steps, Path resumeFrom, Path saveTo) throws Exception {
        Engine.seed(11);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(16, 16), 0.2), null, null, null),
                        new long[] {6},
                        DATA.tasks());
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, Balancers.equal(3))
                        .spec(spec(steps))
                        .seed(11)
                        .build()) {
            TestDevice.on(model);
            return fitFrom(t, train, resumeFrom, saveTo);
        }
    }

    /** Resumes from {@code resumeFrom} (if any), fits, saves to {@code saveTo} (if any): each record's task losses. */
    static List<double[]> fitFrom(Trainer t, DeviceData train, Path resumeFrom, Path saveTo) throws Exception {
        List<double[]> losses = new ArrayList<>();
        if (resumeFrom != null) {
            t.resume(resumeFrom);
        }
        t.fit(train, null, List.of(new TrainingListener() {
            @Override
            public void onReport(Report r) {
                losses.add(r.tasks().values().stream()
                        .mapToDouble(TaskReport::loss)
                        .toArray());
            }
        }));
        if (saveTo != null) {
            t.save(saveTo);
        }
        return losses;
    }

    @Test
    void resumedLossesEqualTheUninterruptedRun(@TempDir Path dir) throws Exception {
        List<double[]> full = run(40, null, null);
        Path ckpt = dir.resolve("mid.ckpt");
        List<double[]> first = run(23, null, ckpt); // 23 steps: mid-epoch (300/16 = 18 batches per epoch)
        List<double[]> rest = run(40, ckpt, null);
        List<double[]> joined = new ArrayList<>(first);
        joined.addAll(rest);
        assertThat(joined).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(joined.get(i)).as("step %d", i).containsExactly(full.get(i));
        }
    }
}
