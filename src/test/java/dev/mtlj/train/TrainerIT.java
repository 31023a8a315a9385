package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Precision;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerIT {
    /** Under either precision (bf16 = autocast: products in bfloat16, losses and updates in float32). */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void tinyRunHalvesEveryTaskLoss(Precision precision) {
        Engine.configureThreads(2);
        DataSplits data = TinyProblem.generate(8, 1024, 128, 128, 7);
        Device device = TestDevice.get();
        Engine.seed(7);
        List<Report> reports = new ArrayList<>();
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(400L)
                .withBatchSize(32)
                .withEvalBatchSize(128)
                .withOptimizer(OptimizerSpec.adam(3e-3))
                .withLogEvery(50L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L)
                .withPrecision(precision);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(32, 32), 0.0), null, null, null),
                        new long[] {8},
                        data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer trainer = Trainer.builder(model, Balancers.equal(3))
                        .spec(spec)
                        .seed(7)
                        .build()) {
            TestDevice.on(model);
            trainer.fit(train, null, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    reports.add(r);
                }
            }));
        }
        // Mean training loss over steps 0-49 versus steps 350-399: every task must at least halve.
        Report first = reports.get(0);
        Report last = reports.get(reports.size() - 1);
        assertThat(first.step()).isEqualTo(49);
        assertThat(last.step()).isEqualTo(399);
        for (String task : List.of("reg", "bin", "cls")) {
            assertThat(last.tasks().get(task).loss())
                    .as(task)
                    .isLessThan(0.5 * first.tasks().get(task).loss());
        }
    }
}
