package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.data.TaskLabels;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.random.Rng;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.train.OptimizerSpec;
import dev.mtlj.train.TrainSpec;
import dev.mtlj.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class MtanTest {
    private static final List<TaskSpec> TWO =
            List.of(TaskSpec.of("a", TaskKind.REGRESSION, 2), TaskSpec.of("b", TaskKind.BINARY, 1));
    private static final ModelSpec SPEC =
            new ModelSpec(new CnnSpec(List.of(2, 3), 3, true, null, null), new MtanSpec(), null, null);

    /**
     * Input [1, 8, 8], blocks of 2 and 3 channels (convs with bias, BN γ/β). Shared: block 0 u 1·2·9+2 + 4 = 24 and
     * p 2·2·9+2 + 4 = 42; block 1 u 2·3·9+3 + 6 = 63 and p 3·3·9+3 + 6 = 90; f⁰ 2→3: 57 + 6 = 63 → 282. Attention per
     * task: block 0 (2→2 1×1, BN, 2→2, BN) 6+4+6+4 = 20; block 1 (6→3, BN, 3→3, BN) 21+6+12+6 = 45 → 65, two tasks 130.
     * Heads on 3·4·4 = 48 features: 98 + 49 = 147.
     */
    @Test
    void shapesAndParameterCounts() {
        try (MultiTaskModel m = MultiTaskModel.build(SPEC, new long[] {1, 8, 8}, TWO);
                PointerScope s = new PointerScope()) {
            List<Tensor> outs = m.network().forward(torch.randn(3, 1, 8, 8));
            assertThat(outs.get(0).shape()).containsExactly(3, 2);
            assertThat(outs.get(1).shape()).containsExactly(3, 1);
            assertThat(m.sharedParameterCount()).isEqualTo(282);
            assertThat(m.parameterCount()).isEqualTo(282 + 130 + 147);
            assertThat(m.network().sharing().taskFeatureShape(0)).containsExactly(48);
        }
    }

    @Test
    void needsSpatialFeatureMapsAndRefusesRepresentationGradients() {
        assertThatThrownBy(() -> MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(4), 0.0), new MtanSpec(), null, null), new long[] {6}, TWO))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(
                        "the mtan architecture needs spatial feature maps, which the mlp backbone does not give");
        Device device = TestDevice.get();
        try (MultiTaskModel m = MultiTaskModel.build(SPEC, new long[] {1, 8, 8}, TWO)) {
            assertThatThrownBy(() -> Trainer.builder(m, Balancers.create("mgda-ub", Map.of(), BalancerContext.of(2, 0)))
                            .spec(TrainSpec.defaults())
                            .seed(0)
                            .build())
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("'mgda-ub' differentiates w.r.t. the shared representation");
        }
    }

    @Test
    void attentionModulesTrainUnderAGradientAggregator() {
        Device device = TestDevice.get();
        Rng rng = new Rng(3);
        int n = 64;
        float[] x = new float[n * 64];
        float[] ya = new float[n * 2];
        float[] yb = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int e = 0; e < n; e++) {
            ya[2 * e] = x[e * 64];
            ya[2 * e + 1] = x[e * 64 + 9];
            yb[e] = x[e * 64 + 20] > 0 ? 1 : 0;
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        labels.put("a", new TaskLabels(ya, 2));
        labels.put("b", new TaskLabels(yb, 1));
        MultiTaskData data = new MultiTaskData(x, new int[] {1, 8, 8}, labels);
        Engine.seed(3);
        try (MultiTaskModel m = MultiTaskModel.build(SPEC, new long[] {1, 8, 8}, TWO);
                DeviceData train = new DeviceData(data, TWO, TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(m, Balancers.create("pcgrad", Map.of(), BalancerContext.of(2, 3)))
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
                PointerScope s = new PointerScope()) {
            TestDevice.on(m);
            double[] before =
                    Tensors.toDoubles(m.network().sharing().taskParameters(1).get(0));
            t.fit(train, null, List.of());
            assertThat(Tensors.toDoubles(m.network().sharing().taskParameters(1).get(0)))
                    .isNotEqualTo(before);
        }
    }
}
