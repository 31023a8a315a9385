package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import dev.mtlj.train.OptimizerSpec;
import dev.mtlj.train.TrainSpec;
import dev.mtlj.train.Trainer;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class MmoeTest {
    private static final List<TaskSpec> TASKS = List.of(
            TaskSpec.of("a", TaskKind.CLASSIFICATION, 5),
            TaskSpec.of("b", TaskKind.BINARY, 1),
            TaskSpec.of("c", TaskKind.REGRESSION, 3));

    private static ModelSpec mmoe(int experts) {
        return new ModelSpec(new MlpSpec(List.of(8), 0.0), new MmoeSpec(experts, false), null, null);
    }

    @Test
    void shapesGatesAndParameterCount() {
        try (MultiTaskModel m = MultiTaskModel.build(mmoe(3), new long[] {10}, TASKS);
                PointerScope s = new PointerScope()) {
            Tensor x = torch.randn(7, 10);
            Mmoe arch = (Mmoe) m.network().sharing();
            assertThat(arch.encode(x).shape()).containsExactly(7, 3, 8);
            for (Tensor g : arch.gates(x)) {
                assertThat(g.shape()).containsExactly(7, 3);
                for (double rowSum : Tensors.toDoubles(g.sum(1))) {
                    assertThat(rowSum).isCloseTo(1.0, within(1e-6));
                }
                assertThat(Tensors.toDoubles(g.min())[0]).isGreaterThanOrEqualTo(0.0);
            }
            List<Tensor> outs = m.network().forward(x);
            assertThat(outs.get(0).shape()).containsExactly(7, 5);
            assertThat(outs.get(1).shape()).containsExactly(7, 1);
            assertThat(outs.get(2).shape()).containsExactly(7, 3);
            // Hand count: 3 experts × (10·8 + 8) = 264 shared; gates 3 tasks × 3 × 10 = 90 (no bias);
            // heads 8·5+5 + 8·1+1 + 8·3+3 = 81.
            assertThat(m.sharedParameterCount()).isEqualTo(264);
            assertThat(m.parameterCount()).isEqualTo(264 + 90 + 81);
            assertThat(m.network().taskParameters(0).size()).isEqualTo(3); // head weight, head bias, gate weight
        }
    }

    /** n = 1: the gate is identically 1, so with the same weights MMoE computes exactly what hard sharing does. */
    @Test
    void oneExpertIsHardSharing() {
        ModelSpec hps = new ModelSpec(new MlpSpec(List.of(8), 0.0), null, null, null);
        try (MultiTaskModel a = MultiTaskModel.build(hps, new long[] {10}, TASKS);
                MultiTaskModel b = MultiTaskModel.build(mmoe(1), new long[] {10}, TASKS);
                PointerScope s = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            StringTensorDict from = a.network().named_parameters();
            StringTensorDict to = b.network().named_parameters();
            Map<String, Tensor> target = new java.util.HashMap<>();
            for (long i = 0; i < to.size(); i++) {
                target.put(to.get(i).key().getString(), to.get(i).value());
            }
            for (long i = 0; i < from.size(); i++) {
                String name = from.get(i).key().getString().replace("backbone.", "mmoe.expert0.");
                target.get(name).copy_(from.get(i).value());
            }
            Tensor x = torch.randn(6, 10);
            List<Tensor> ya = a.network().forward(x);
            List<Tensor> yb = b.network().forward(x);
            for (int k = 0; k < 3; k++) {
                assertThat(Tensors.toDoubles(yb.get(k))).containsExactly(Tensors.toDoubles(ya.get(k)));
            }
        }
    }

    /** Gates are task parameters: a Gramian method trains them through the heads' own gradients. */
    @Test
    void gatesTrainUnderAGradientAggregator() {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(6, 128, 16, 16, 2);
        Engine.seed(2);
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8), 0.0), new MmoeSpec(2, true), null, null),
                        new long[] {6},
                        data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(
                                m, Balancers.create("pcgrad", Map.of(), dev.mtlj.balance.BalancerContext.of(3, 2)))
                        .spec(TrainSpec.defaults()
                                .withSteps(20L)
                                .withBatchSize(16)
                                .withEvalBatchSize(16)
                                .withOptimizer(OptimizerSpec.adam(1e-2))
                                .withLogEvery(100L)
                                .withEvalEvery(0L)
                                .withCheckpointEvery(0L))
                        .seed(2)
                        .build();
                PointerScope s = new PointerScope()) {
            TestDevice.on(m);
            double[] before =
                    Tensors.toDoubles(m.network().sharing().taskParameters(0).get(0));
            t.fit(train, null, List.of());
            double[] after =
                    Tensors.toDoubles(m.network().sharing().taskParameters(0).get(0));
            assertThat(after).isNotEqualTo(before);
        }
    }

    /** Evaluation reports each task's mean gate distribution: n entries on the simplex; hard sharing reports none. */
    @Test
    void evaluationReportsMeanGates() {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(6, 64, 40, 16, 4);
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8), 0.0), new MmoeSpec(3, false), null, null),
                        new long[] {6},
                        data.tasks());
                MultiTaskModel hps = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8), 0.0), null, null, null), new long[] {6}, data.tasks());
                DeviceData val = new DeviceData(data.val(), data.tasks(), TestDevice.spec(), DType.FLOAT32)) {
            TestDevice.on(m);
            TestDevice.on(hps);
            dev.mtlj.train.Report r =
                    dev.mtlj.train.Evaluator.evaluate(m, val, 16, new double[] {1, 1, 1}, 0, "val", 0);
            assertThat(r.gates().keySet()).containsExactly("reg", "bin", "cls");
            for (double[] mean : r.gates().values()) {
                assertThat(mean).hasSize(3);
                assertThat(mean[0] + mean[1] + mean[2]).isCloseTo(1.0, within(1e-6));
            }
            assertThat(dev.mtlj.train.Evaluator.evaluate(hps, val, 16, new double[] {1, 1, 1}, 0, "val", 0)
                            .gates())
                    .isEmpty();
        }
    }

    @Test
    void gradNormNeedsASingleLastSharedLayer() {
        try (MultiTaskModel m = MultiTaskModel.build(mmoe(3), new long[] {10}, TASKS)) {
            assertThatThrownBy(() -> m.network().sharing().lastSharedWeight())
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("mmoe architecture has 3 experts and no single last shared layer");
        }
    }
}
