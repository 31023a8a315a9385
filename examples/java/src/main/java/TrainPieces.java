import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.GradNormToy;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.train.Report;
import dev.mtlj.train.TrainSpec;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
import java.util.List;
import java.util.Map;

public class TrainPieces {
    public static void main(String[] args) {
        DataSplits data = GradNormToy.generate(GradNormToy.Options.paper(new double[] {1, 100}, 0, 4000, 1000, 1000, 7));
        DeviceSpec device = DeviceSpec.parse("auto"); // CUDA when the natives see a GPU, else the CPU
        Engine.seed(7); // initial weights
        try (MultiTaskModel model = MultiTaskModel.build(ModelSpec.defaults(), new long[] {250}, data.tasks())) {
            model.to(device, DType.FLOAT32); // first: the trainer trains where the model is
            TrainSpec spec = TrainSpec.defaults().withSteps(300).withEvalEvery(100);
            try (DeviceData train = new DeviceData(data.train(), data.tasks(), device, DType.FLOAT32);
                    DeviceData val = new DeviceData(data.val(), data.tasks(), device, DType.FLOAT32);
                    Balancer upgrad = Balancers.create("upgrad", Map.of(), BalancerContext.of(data.tasks(), 1e-3, 7));
                    Trainer trainer = Trainer.builder(model, upgrad)
                            .spec(spec)
                            .seed(7)
                            .build()) {
                trainer.fit(train, val, List.of(new TrainingListener() {
                    @Override
                    public void onReport(Report r) {
                        if (r.split().equals("val")) {
                            System.out.println("step " + (r.step() + 1) + " val loss " + r.totalLoss());
                        }
                    }
                }));
            }
        }
    }
}
