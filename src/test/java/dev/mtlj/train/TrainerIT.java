package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.LossBalancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TinyProblem;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class TrainerIT {
    @Test
    void tinyRunHalvesEveryTaskLoss() {
        Engine.configureThreads(2);
        DataSplits data = TinyProblem.generate(8, 1024, 128, 128, 7);
        Device cpu = Engine.device(DeviceSpec.parse("cpu"));
        Engine.seed(7);
        List<Report> reports = new ArrayList<>();
        TrainSpec spec = new TrainSpec(400L, 32, 128, OptimizerSpec.adam(3e-3), null, null, 50L, 0L, 0L, null, null);
        try (MultiTaskModel model = MultiTaskModel.build(new ModelSpec(new MlpSpec(List.of(32, 32), 0.0), null, null, null),
                new long[] {8}, data.tasks());
             DeviceData train = new DeviceData(data.train(), data.tasks(), cpu, torch.ScalarType.Float);
             Trainer trainer = new Trainer(model, LossBalancers.equal(3), spec, cpu, torch.ScalarType.Float, 7)) {
            trainer.fit(train, null, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    reports.add(r);
                }
            }));
        }
        // Mean training loss over steps 0-49 versus steps 350-399: every task must at least halve.
        reports.forEach(r -> System.out.println("W " + r.step() + " " + r.tasks().get("reg").loss() + " " + r.tasks().get("reg").metrics() + " " + r.tasks().get("cls").loss()));
        Report first = reports.get(0);
        Report last = reports.get(reports.size() - 1);
        assertThat(first.step()).isEqualTo(49);
        assertThat(last.step()).isEqualTo(399);
        for (String task : List.of("reg", "bin", "cls")) {
            assertThat(last.tasks().get(task).loss()).as(task).isLessThan(0.5 * first.tasks().get(task).loss());
        }
    }
}
