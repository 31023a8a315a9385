package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import dev.mtlj.train.OptimizerSpec;
import dev.mtlj.train.TrainSpec;
import dev.mtlj.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture torchscript_backbone.pt and its expected outputs were written by make_torchscript_fixture.py (beside
 * them in src/test/resources) with PyTorch: a 6 → 8 → 5 MLP with batch norm, outputs in eval mode.
 */
class TorchScriptBackboneTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(TorchScriptBackboneTest.class.getResource(name).toURI());
    }

    @Test
    void outputsEqualThoseComputedByPyTorchAtExport() throws Exception {
        JsonNode expected =
                new ObjectMapper().readTree(fixture("torchscript_backbone.json").toFile());
        try (TorchScriptBackbone b = new TorchScriptBackbone(
                        new TorchScriptSpec(fixture("torchscript_backbone.pt").toString(), null), new long[] {6});
                PointerScope scope = new PointerScope()) {
            assertThat(b.outputShape()).containsExactly(5);
            // parameters by hand: fc1 6·8 + 8, bn 8 + 8, fc2 8·5 + 5 = 117 (the JSON's count is PyTorch's)
            long count = 0;
            for (long i = 0; i < b.parameters().size(); i++) {
                count += b.parameters().get(i).numel();
            }
            assertThat(count)
                    .isEqualTo(117)
                    .isEqualTo(expected.get("parameters").asLong());
            assertThat(b.buffers().size())
                    .as("batch-norm running mean, var, count")
                    .isEqualTo(3);
            b.to(TestDevice.get(), torch.ScalarType.Float, false);
            b.eval();
            float[] in = floats(expected.get("input"));
            Tensor x = Tensors.upload(Tensor.create(in, 4, 6), TestDevice.get(), torch.ScalarType.Float);
            double[] out = Tensors.toDoubles(b.forward(x));
            assertThat(out).containsExactly(doubles(expected.get("output")), within(1e-6));
        }
    }

    /** Frozen by default: training moves the heads only; trainable: true trains the imported weights too. */
    @Test
    void frozenUnlessTrainable() throws Exception {
        assertThat(backboneMoves(false)).isFalse();
        assertThat(backboneMoves(true)).isTrue();
    }

    private static boolean backboneMoves(boolean trainable) throws Exception {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(6, 64, 16, 16, 3);
        ModelSpec spec = new ModelSpec(
                new TorchScriptSpec(fixture("torchscript_backbone.pt").toString(), trainable), null, null, null);
        Engine.seed(3);
        try (MultiTaskModel m = TestDevice.on(MultiTaskModel.build(spec, new long[] {6}, data.tasks()));
                DeviceData train = new DeviceData(data.train(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.equal(3))
                        .spec(TrainSpec.defaults()
                                .withSteps(10L)
                                .withBatchSize(16)
                                .withEvalBatchSize(16)
                                .withOptimizer(OptimizerSpec.adam(1e-2))
                                .withLogEvery(100L)
                                .withEvalEvery(0L)
                                .withCheckpointEvery(0L))
                        .seed(3)
                        .build();
                PointerScope scope = new PointerScope()) {
            double[] backboneBefore =
                    Tensors.toDoubles(m.network().sharedParameters().get(0));
            double[] headBefore =
                    Tensors.toDoubles(m.network().taskParameters(0).get(0));
            for (int i = 0; i < 10; i++) {
                t.trainStep(train);
            }
            assertThat(Tensors.toDoubles(m.network().taskParameters(0).get(0))).isNotEqualTo(headBefore);
            return !java.util.Arrays.equals(
                    Tensors.toDoubles(m.network().sharedParameters().get(0)), backboneBefore);
        }
    }

    @Test
    void badFilesAndShapesAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new TorchScriptBackbone(
                        new TorchScriptSpec(dir.resolve("none.pt").toString(), false), new long[] {6}))
                .isInstanceOf(UserInputException.class)
                .hasMessage("model.backbone.path '" + dir.resolve("none.pt") + "' does not exist or is not a file");
        Path junk = Files.write(dir.resolve("junk.pt"), "not a zip archive".getBytes());
        assertThatThrownBy(() -> new TorchScriptBackbone(new TorchScriptSpec(junk.toString(), false), new long[] {6}))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("model.backbone.path '" + junk + "' is not a loadable TorchScript file (");
        String pt = fixture("torchscript_backbone.pt").toString();
        assertThatThrownBy(() -> new TorchScriptBackbone(new TorchScriptSpec(pt, false), new long[] {7}))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(
                        "the torchscript backbone '" + pt + "' rejects examples of shape [7] (batch [1, 7]): ");
        assertThatThrownBy(() -> new TorchScriptSpec(" ", true))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("model.backbone.path is required");
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
