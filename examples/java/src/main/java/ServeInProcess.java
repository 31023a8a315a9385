import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import java.nio.file.Path;

public class ServeInProcess {
    public static void main(String[] args) {
        float[] features = new float[250]; // one example of the quick start's 250 inputs
        try (Predictor p = Predictor.open(Path.of("runs/quickstart"), PredictorOptions.defaults().withDevice("cpu"))) {
            Predictions out = p.predictOne(features); // or predict(float[][]), or predict(flat, rows, tasks)
            int cls = out.task("cls").label(0); // arg-max; .values(): softmax probabilities
            float[] y1 = out.task("y1").row(0); // regression values (binary: sigmoid + 0/1 label)
            System.out.println("cls " + cls + ", y1[0] " + y1[0]);
        }
    }
}
