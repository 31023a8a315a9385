import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Run;
import dev.mtlj.run.SummaryTable;
import java.nio.file.Path;
import java.util.List;

public class TrainFromConfig {
    public static void main(String[] args) {
        RunConfig cfg = ConfigLoader.load(Path.of("examples/quickstart.yaml"), List.of("train.steps=300"));
        Run.Result r = Run.train(cfg); // data, model, trainer, run directory (resume: RunOptions)
        System.out.print(SummaryTable.render(r.test()));
    }
}
