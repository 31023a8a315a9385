package dev.mtlj.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-head TorchScript model exported from Python (fixture and expected values made by
 * {@code src/test/resources/dev/mtlj/serve/make_multihead_fixture.py} with PyTorch 2.10.0): its forward returns a
 * dict by task name; the predictor must return PyTorch's softmax / sigmoid / raw values.
 */
class ScriptPredictorTest {
    private static final PredictorOptions CPU = PredictorOptions.defaults().withDevice("cpu");

    private static Path fixture(String name) throws Exception {
        return Path.of(ScriptPredictorTest.class.getResource(name).toURI());
    }

    private static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    @Test
    void outputsEqualPyTorchs() throws Exception {
        JsonNode expected =
                new ObjectMapper().readTree(fixture("multihead_expected.json").toFile());
        try (Predictor p = Predictor.open(fixture("multihead.pt"), CPU)) {
            assertThat(p.platform()).isEqualTo("torchscript");
            Predictions out = p.predict(
                    floats(expected.get("input")), expected.get("rows").asInt(), null);
            assertThat(out.tasks().keySet()).containsExactly("kind", "flag", "score"); // signature order
            for (String task : List.of("kind", "flag", "score")) {
                assertThat(out.task(task).values()).containsExactly(floats(expected.get(task)), within(1e-6f));
            }
            float[] flag = floats(expected.get("flag"));
            for (int r = 0; r < 3; r++) {
                assertThat(out.task("flag").label(r)).isEqualTo(flag[r] >= 0.5f ? 1 : 0);
            }
        }
    }

    @Test
    void aSignatureThatDoesNotMatchTheOutputsIsRefusedAtLoad(@TempDir Path tmp) throws Exception {
        ModelSignature wrong = new ModelSignature(
                new long[] {5},
                List.of(
                        new ModelSignature.Task("kind", "classification", 4),
                        new ModelSignature.Task("flag", "binary", 1),
                        new ModelSignature.Task("score", "regression", 2)));
        assertThatThrownBy(() -> Predictor.open(fixture("multihead.pt"), new PredictorOptions("cpu", wrong)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(
                        "returns shape [2, 3] for task 'kind' on a batch of 2; its signature says [2, 4]");
        ModelSignature missing =
                new ModelSignature(new long[] {5}, List.of(new ModelSignature.Task("other", "regression", 2)));
        assertThatThrownBy(() -> Predictor.open(fixture("multihead.pt"), new PredictorOptions("cpu", missing)))
                .hasMessageContaining("returns a dict without task 'other'");
        ModelSignature badShape = new ModelSignature(new long[] {7}, wrong.tasks());
        assertThatThrownBy(() -> Predictor.open(fixture("multihead.pt"), new PredictorOptions("cpu", badShape)))
                .hasMessageContaining("rejects examples of shape [7]");
        Path alone = tmp.resolve("alone.pt");
        Files.copy(fixture("multihead.pt"), alone);
        assertThatThrownBy(() -> Predictor.open(alone, CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("needs its signature in")
                .hasMessageContaining("alone.json");
        Files.writeString(
                tmp.resolve("alone.json"),
                "{\"input_shape\": [5], \"tasks\": [{\"name\": \"kind\", \"kind\": \"colour\"," + " \"outputs\": 3}]}");
        assertThatThrownBy(() -> Predictor.open(alone, CPU))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("is not valid")
                .hasMessageContaining("task kind 'colour' is not valid");
    }
}
