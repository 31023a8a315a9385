package dev.mtlj.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Run;
import dev.mtlj.train.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorTest {
    private static final PredictorOptions CPU = PredictorOptions.defaults().withDevice("cpu");

    private static float[] example(MultiTaskData split, int i) {
        int d = split.exampleSize();
        return java.util.Arrays.copyOfRange(split.features(), i * d, (i + 1) * d);
    }

    @Test
    void outputsEqualTheTrainedModelsEvalForwardAndReproduceTheEvaluatorsLosses() {
        Path run = ServedRun.dir();
        DataSplits data = Run.prepare(ServedRun.config());
        MultiTaskData test = data.test();
        float[] x = test.features();
        Predictions p;
        try (Predictor predictor = Predictor.open(run, CPU)) {
            assertThat(predictor.platform()).isEqualTo("mtlj");
            assertThat(predictor.signature().inputShape()).containsExactly(250);
            assertThat(predictor.signature().tasks())
                    .extracting(ModelSignatureTaskName::of)
                    .containsExactly("y1", "y2", "cls");
            p = predictor.predict(x, test.size(), null);
        }
        // 1. The same checkpoint loaded into a model by hand, run in eval mode without autograd: identical outputs.
        Path ckpt = CheckpointFile.resolve(run);
        try (PointerScope scope = new PointerScope();
                NoGradGuard g = new NoGradGuard();
                MultiTaskModel model =
                        MultiTaskModel.build(ServedRun.config().model(), new long[] {250}, data.tasks())) {
            CheckpointFile.load(ckpt, model.network(), null, new Device("cpu"));
            model.network().eval();
            List<Tensor> outs = model.network().forward(Tensor.create(x, test.size(), 250));
            float[] y1 = dev.mtlj.engine.Tensors.toFloats(outs.get(0));
            float[] cls = dev.mtlj.engine.Tensors.toFloats(outs.get(2).softmax(1));
            assertThat(p.task("y1").values()).containsExactly(y1, within(1e-6f));
            assertThat(p.task("cls").values()).containsExactly(cls, within(1e-6f));
        }
        // 2. The evaluator's test report, recomputed from the predictor's plain Java outputs: MSE from values,
        //    cross-entropy as -mean log p(label), accuracy from the arg-max labels.
        Report report = Run.evaluate(run, "test");
        for (String task : List.of("y1", "y2")) {
            TaskOutput o = p.task(task);
            float[] target = test.labels().get(task).values();
            double se = 0;
            for (int i = 0; i < o.values().length; i++) {
                se += Math.pow(o.values()[i] - target[i], 2);
            }
            assertThat(se / o.values().length)
                    .isCloseTo(
                            report.tasks().get(task).loss(),
                            within(1e-5 * report.tasks().get(task).loss()));
        }
        TaskOutput cls = p.task("cls");
        float[] labels = test.labels().get("cls").values();
        double nll = 0;
        int correct = 0;
        for (int i = 0; i < cls.rows(); i++) {
            nll -= Math.log(cls.row(i)[(int) labels[i]]);
            correct += cls.label(i) == (int) labels[i] ? 1 : 0;
        }
        assertThat(nll / cls.rows()).isCloseTo(report.tasks().get("cls").loss(), within(1e-4));
        assertThat((double) correct / cls.rows())
                .isCloseTo(report.tasks().get("cls").metrics().get("accuracy"), within(1e-9));
    }

    @Test
    void oneExampleEqualsItsRowOfABatchAndTasksCanBeChosen() {
        DataSplits data = Run.prepare(ServedRun.config());
        float[] a = example(data.test(), 0);
        float[] b = example(data.test(), 1);
        try (Predictor predictor = Predictor.open(ServedRun.dir(), CPU)) {
            Predictions batch = predictor.predict(new float[][] {a, b});
            Predictions one = predictor.predictOne(b);
            assertThat(one.rows()).isEqualTo(1);
            assertThat(one.task("cls").values())
                    .containsExactly(batch.task("cls").row(1), within(1e-6f));
            assertThat(one.task("y2").values()).containsExactly(batch.task("y2").row(1), within(1e-5f));
            float sum = 0;
            for (float v : one.task("cls").values()) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1f, within(1e-6f)); // softmax probabilities
            Predictions some = predictor.predict(a, 1, Set.of("cls", "y1"));
            assertThat(some.tasks().keySet()).containsExactly("y1", "cls"); // model order, not request order
            assertThatThrownBy(() -> some.task("y2")).hasMessageContaining("not in these predictions");
            assertThatThrownBy(() -> one.task("y1").label(0)).hasMessageContaining("regression task");
        }
    }

    @Test
    void badRequestsAreNamedAndClosedPredictorsRefuse() {
        Predictor predictor = Predictor.open(ServedRun.dir(), CPU);
        assertThatThrownBy(() -> predictor.predict(new float[249], 1, null))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("249 input values for 1 example(s); the model takes 250");
        float[] nan = new float[250];
        nan[7] = Float.NaN;
        assertThatThrownBy(() -> predictor.predictOne(nan))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("input value 7 of example 0 is NaN");
        assertThatThrownBy(() -> predictor.predict(new float[250], 1, Set.of("y9")))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("task 'y9' is not an output of this model; tasks: [y1, y2, cls]");
        assertThatThrownBy(() -> predictor.predict(new float[][] {new float[250], new float[3]}))
                .hasMessageContaining("example 1 has 3 values");
        predictor.close();
        predictor.close(); // idempotent
        assertThatThrownBy(() -> predictor.predictOne(new float[250]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void missingAndUnreadableModelsAreUserErrors(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> Predictor.open(tmp.resolve("nope"), CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Predictor.open(tmp, CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("no checkpoint at");
        Path junk = Files.writeString(tmp.resolve("junk.pt"), "not a model");
        assertThatThrownBy(() -> Predictor.open(junk, CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("neither an mtlj checkpoint nor a loadable TorchScript file");
        Path badCkpt = Files.writeString(tmp.resolve("bad.ckpt"), "not a checkpoint");
        assertThatThrownBy(() -> Predictor.open(badCkpt, CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("is not a readable mtlj checkpoint");
        assertThatThrownBy(() -> new PredictorOptions("tpu", null)).isInstanceOf(UserInputException.class);
    }

    @Test
    void predictionsLeaveNoNativeHandleBehind() {
        try (Predictor predictor = Predictor.open(ServedRun.dir(), CPU)) {
            float[] x = new float[4 * 250];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i);
            }
            for (int i = 0; i < 20; i++) {
                predictor.predict(x, 4, null);
            }
            long before = dev.mtlj.testing.Handles.live();
            for (int i = 0; i < 300; i++) {
                predictor.predict(x, 4, i % 2 == 0 ? null : Set.of("cls"));
            }
            assertThat(dev.mtlj.testing.Handles.live()).isEqualTo(before);
        }
    }

    /** Task names of a signature, for AssertJ's extracting. */
    private static final class ModelSignatureTaskName {
        static String of(dev.mtlj.model.ModelSignature.Task t) {
            return t.name();
        }
    }
}
