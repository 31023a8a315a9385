package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.PerTaskSynthetic;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.sample.TaskSamplers;
import dev.mtlj.task.TaskKind;
import dev.mtlj.testing.TestDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sampled training (the task scheduler) end to end: per-task datasets of very different sizes. */
class SampledTrainingIT {
    private static final List<PerTaskSynthetic.Task> TASKS = List.of(
            new PerTaskSynthetic.Task("big", TaskKind.REGRESSION, 0, 5000),
            new PerTaskSynthetic.Task("mid", TaskKind.BINARY, 0, 500),
            new PerTaskSynthetic.Task("small", TaskKind.CLASSIFICATION, 3, 50));
    private static final DataSplits DATA = PerTaskSynthetic.generate(12, TASKS, 300, 50, 5);
    private static final long[] SIZES = {5000, 500, 50};
    private static final ModelSpec MODEL = new ModelSpec(new MlpSpec(List.of(32), 0.0), null, null, null);

    /**
     * Temperature sampling, T = 2: p ∝ (√5000, √500, √50) = (0.7061, 0.2233, 0.0706). Over 800 steps every task's
     * validation loss falls, and each task's draw count lies within 4 binomial standard deviations of 800·p_i.
     */
    @Test
    void everyTaskLearnsUnderTemperatureSampling() {
        Device device = TestDevice.get();
        Engine.seed(5);
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(800L)
                .withBatchSize(32)
                .withEvalBatchSize(128)
                .withOptimizer(OptimizerSpec.adam(3e-3))
                .withLogEvery(100L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {12}, DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                DeviceData val = new DeviceData(DATA.val(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.equal(3))
                        .spec(spec)
                        .seed(5)
                        .sampled(TaskSamplers.temperature(SIZES, 2, 5), 1, new int[] {32, 32, 16})
                        .build()) {
            Report before = t.evaluate(val, "val");
            List<Report> logs = new ArrayList<>();
            t.fit(train, null, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    logs.add(r);
                }
            }));
            Report after = t.evaluate(val, "val");
            for (String task : List.of("big", "mid", "small")) {
                assertThat(after.tasks().get(task).loss())
                        .as(task)
                        .isLessThan(0.8 * before.tasks().get(task).loss());
            }
            double[] p = t.samplerProbabilities();
            assertThat(p[0])
                    .isCloseTo(
                            Math.sqrt(5000) / (Math.sqrt(5000) + Math.sqrt(500) + Math.sqrt(50)),
                            org.assertj.core.api.Assertions.within(1e-12));
            long[] drawn = t.sampledCounts();
            assertThat(drawn[0] + drawn[1] + drawn[2]).isEqualTo(800);
            for (int k = 0; k < 3; k++) {
                double sd = Math.sqrt(800 * p[k] * (1 - p[k]));
                assertThat((double) drawn[k]).as("task %d", k).isBetween(800 * p[k] - 4 * sd, 800 * p[k] + 4 * sd);
            }
            // each log record carries the distribution and the draws of its 100 steps
            assertThat(logs).hasSize(8);
            assertThat(logs.get(0).sampling().probabilities()).containsExactly(p);
            assertThat(java.util.Arrays.stream(logs.get(0).sampling().drawn()).sum())
                    .isEqualTo(100);
        }
    }

    /** A balancer that needs every task in every step is refused before training, by name. */
    @Test
    void balancersNeedingAllTasksAreRefused() {
        Device device = TestDevice.get();
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {12}, DATA.tasks()));
                Balancer uw = Balancers.create("uw", Map.of(), BalancerContext.of(3, 1))) {
            assertThatThrownBy(() -> Trainer.builder(m, uw)
                            .sampled(TaskSamplers.temperature(SIZES, 2, 5), 1, new int[] {32, 32, 16})
                            .build())
                    .isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith(
                            "sampled training trains only the drawn task(s) in each step, and balancer 'uw'");
        }
    }

    /** A task smaller than its batch size is named before the first step. */
    @Test
    void aTaskSmallerThanItsBatchIsNamed() {
        Device device = TestDevice.get();
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {12}, DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.equal(3))
                        .spec(TrainSpec.defaults())
                        .seed(5)
                        .sampled(TaskSamplers.temperature(SIZES, 2, 5), 1, new int[] {32, 32, 64})
                        .build()) {
            assertThatThrownBy(() -> t.trainStep(train))
                    .isInstanceOf(UserInputException.class)
                    .hasMessage("task 'small' has 50 labelled training examples, fewer than its batch size 64; lower"
                            + " tasks.small.batch_size");
        }
    }

    /** Two tasks per step, stopped mid-way and resumed: the same losses as the uninterrupted run (stream and sampler state). */
    @Test
    void resumedSampledRunRepeatsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        List<double[]> full = run(30, null, null);
        Path ckpt = dir.resolve("mid.ckpt");
        List<double[]> joined = new ArrayList<>(run(13, null, ckpt));
        joined.addAll(run(30, ckpt, null));
        assertThat(joined).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(joined.get(i)).as("step %d", i).containsExactly(full.get(i));
        }
    }

    private static List<double[]> run(long steps, Path resumeFrom, Path saveTo) throws Exception {
        Device device = TestDevice.get();
        Engine.seed(8);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {12}, DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.equal(3))
                        .spec(TrainSpec.defaults()
                                .withSteps(steps)
                                .withBatchSize(16)
                                .withEvalBatchSize(64)
                                .withLogEvery(1L)
                                .withEvalEvery(0L)
                                .withCheckpointEvery(0L))
                        .seed(8)
                        .sampled(
                                TaskSamplers.create(
                                        "dynamic", Map.of("every", 5), List.of("big", "mid", "small"), SIZES, 8),
                                2,
                                new int[] {16, 16, 8})
                        .build()) {
            return ResumeIT.fitFrom(t, train, resumeFrom, saveTo);
        }
    }
}
