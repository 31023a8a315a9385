package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.LossBalancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.Handles;
import dev.mtlj.testing.TinyProblem;
import dev.mtlj.testing.TestDevice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Training steps, logging and evaluations leave no native handle behind (JavaCPP's live-pointer count). */
class LeakIT {
    @Test
    void liveNativeHandlesStayConstantAcrossSteps() {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(5, 200, 40, 40, 5);
        Map<Long, Long> counts = new HashMap<>();
        TrainSpec spec = new TrainSpec(300L, 20, 16, null, null, 1.0, 7L, 50L, 0L, null, null);
        Engine.seed(5);
        try (MultiTaskModel model = MultiTaskModel.build(new ModelSpec(new MlpSpec(List.of(8), 0.1), null, null, null),
                new long[] {5}, data.tasks());
             DeviceData train = new DeviceData(data.train(), data.tasks(), device, torch.ScalarType.Float);
             DeviceData val = new DeviceData(data.val(), data.tasks(), device, torch.ScalarType.Float);
             Trainer t = new Trainer(model, LossBalancers.equal(3), spec, device, torch.ScalarType.Float, 5)) {
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
