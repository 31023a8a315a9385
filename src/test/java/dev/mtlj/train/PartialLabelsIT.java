package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.data.TaskLabels;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;

/** Partial labels in training and evaluation (NaN = missing label). */
class PartialLabelsIT {
    private static final DataSplits DATA = TinyProblem.generate(6, 128, 48, 16, 9);
    private static final ModelSpec MODEL = new ModelSpec(new MlpSpec(List.of(8), 0.0), null, null, null);

    /** {@code data} with task {@code task}'s label removed (NaN) on the rows {@code missing} selects. */
    private static MultiTaskData dropLabels(MultiTaskData data, String task, IntPredicate missing) {
        Map<String, TaskLabels> labels = new LinkedHashMap<>(data.labels());
        TaskLabels l = labels.get(task);
        float[] v = l.values().clone();
        for (int r = 0; r < l.rows(); r++) {
            if (missing.test(r)) {
                java.util.Arrays.fill(v, r * l.width(), (r + 1) * l.width(), Float.NaN);
            }
        }
        labels.put(task, new TaskLabels(v, l.width()));
        return new MultiTaskData(data.features(), data.exampleShape(), labels);
    }

    /** Every batch lacks task 'bin': its head keeps its initial weights while the others train. */
    @Test
    void aTaskWithoutLabelsInTheBatchLeavesItsHeadUntouched() {
        Device device = TestDevice.get();
        MultiTaskData train = dropLabels(DATA.train(), "bin", r -> true);
        Engine.seed(9);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {6}, DATA.tasks()));
                DeviceData d = new DeviceData(train, DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.equal(3))
                        .spec(TrainSpec.defaults()
                                .withSteps(20L)
                                .withBatchSize(16)
                                .withEvalBatchSize(16)
                                .withOptimizer(OptimizerSpec.adam(1e-2))
                                .withGradClip(1.0)
                                .withLogEvery(5L)
                                .withEvalEvery(0L)
                                .withCheckpointEvery(0L))
                        .seed(9)
                        .build();
                PointerScope scope = new PointerScope()) {
            double[] binBefore = Tensors.toDoubles(m.network().taskParameters(1).get(0));
            double[] regBefore = Tensors.toDoubles(m.network().taskParameters(0).get(0));
            List<Report> logs = new java.util.ArrayList<>();
            t.fit(d, null, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    logs.add(r);
                }
            }));
            assertThat(Tensors.toDoubles(m.network().taskParameters(1).get(0))).containsExactly(binBefore);
            assertThat(Tensors.toDoubles(m.network().taskParameters(0).get(0))).isNotEqualTo(regBefore);
            assertThat(logs.get(0).tasks().get("bin").loss())
                    .as("no labelled step in the window")
                    .isNaN();
            assertThat(logs.get(0).tasks().get("reg").loss()).isFinite();
        }
    }

    /** A balancer that weighs all tasks together refuses a step missing one, naming the task and itself. */
    @Test
    void balancersThatNeedEveryTaskRefuse() {
        Device device = TestDevice.get();
        MultiTaskData train = dropLabels(DATA.train(), "cls", r -> true);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {6}, DATA.tasks()));
                DeviceData d = new DeviceData(train, DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(
                                m, Balancers.create("gradnorm", Map.of(), dev.mtlj.balance.BalancerContext.of(3, 2)))
                        .spec(TrainSpec.defaults()
                                .withSteps(5L)
                                .withBatchSize(16)
                                .withEvalBatchSize(16)
                                .withLogEvery(5L)
                                .withEvalEvery(0L)
                                .withCheckpointEvery(0L))
                        .seed(9)
                        .build()) {
            assertThatThrownBy(() -> t.trainStep(d))
                    .isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith(
                            "the batch of step 0 holds no label of task 'cls' (partial labels), and balancer"
                                    + " 'gradnorm' needs every task in every step");
        }
    }

    /** Evaluation over a split with missing 'reg' labels equals evaluation over its labelled rows alone. */
    @Test
    void evaluationCountsOnlyLabelledExamples() {
        Device device = TestDevice.get();
        IntPredicate missing = r -> r % 3 == 0;
        MultiTaskData partial = dropLabels(DATA.val(), "reg", missing);
        int[] keep = java.util.stream.IntStream.range(0, DATA.val().size())
                .filter(missing.negate())
                .toArray();
        MultiTaskData subset = rows(DATA.val(), keep);
        Engine.seed(9);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(MODEL, new long[] {6}, DATA.tasks()));
                DeviceData p = new DeviceData(partial, DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                DeviceData s = new DeviceData(subset, DATA.tasks(), TestDevice.spec(), DType.FLOAT32)) {
            double[] w = {1, 1, 1};
            TaskReport a = Evaluator.evaluate(m, p, 16, w, 0, "val", 0).tasks().get("reg");
            TaskReport b = Evaluator.evaluate(m, s, 16, w, 0, "val", 0).tasks().get("reg");
            assertThat(a.loss()).isCloseTo(b.loss(), within(1e-6 * b.loss()));
            for (String metric : b.metrics().keySet()) {
                assertThat(a.metrics().get(metric))
                        .as(metric)
                        .isCloseTo(b.metrics().get(metric), within(1e-9));
            }
        }
    }

    private static MultiTaskData rows(MultiTaskData data, int[] keep) {
        int d = data.features().length / data.size();
        float[] x = new float[keep.length * d];
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        for (int k = 0; k < keep.length; k++) {
            System.arraycopy(data.features(), keep[k] * d, x, k * d, d);
        }
        data.labels().forEach((name, l) -> {
            float[] v = new float[keep.length * l.width()];
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(l.values(), keep[k] * l.width(), v, k * l.width(), l.width());
            }
            labels.put(name, new TaskLabels(v, l.width()));
        });
        return new MultiTaskData(x, data.exampleShape(), labels);
    }
}
