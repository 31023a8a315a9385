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
import dev.mtlj.testing.Handles;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;

/** Training steps, logging and evaluations leave no native handle behind (JavaCPP's live-pointer count). */
class LeakIT {
    @Test
    void liveNativeHandlesStayConstantAcrossSteps() {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(5, 200, 40, 40, 5);
        Map<Long, Long> counts = new HashMap<>();
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(300L)
                .withBatchSize(20)
                .withEvalBatchSize(16)
                .withGradClip(1.0)
                .withLogEvery(7L)
                .withEvalEvery(50L)
                .withCheckpointEvery(0L);
        Engine.seed(5);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8), 0.1), null, null, null), new long[] {5}, data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                DeviceData val = new DeviceData(data.val(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, Balancers.equal(3))
                        .spec(spec)
                        .seed(5)
                        .build()) {
            TestDevice.on(model);
            t.fit(train, val, List.of(new TrainingListener() {
                @Override
                public void onStep(StepResult r) {
                    if (r.step() == 60 || r.step() == 299) {
                        counts.put(r.step(), Handles.live());
                    }
                }
            }));
        }
        // After step 60 (past a log record and an evaluation) and after step 299 (250 steps later, 35 log records
        // and 5 evaluations on): the same number of live native handles.
        assertThat(counts.get(299L)).isEqualTo(counts.get(60L));
    }
}
