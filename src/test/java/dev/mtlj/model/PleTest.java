package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.balance.BalancerContext;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class PleTest {
    private static final List<TaskSpec> TASKS = List.of(
            TaskSpec.of("a", TaskKind.CLASSIFICATION, 5),
            TaskSpec.of("b", TaskKind.BINARY, 1),
            TaskSpec.of("c", TaskKind.REGRESSION, 3));
    private static final MlpSpec EXPERT = new MlpSpec(List.of(8), 0.0);

    /**
     * PLE, L = 2, m_s = 2, m_k = 1, d = 10, experts MLP 10→8 (88 parameters), level-2 experts 8→8 (72), T = 3.
     * Level 1: 5 experts 440, task gates 3·(10·3) = 90, shared gate 10·5 = 50. Level 2: 5 experts 360, task gates
     * 3·(8·3) = 72. Architecture 1012; task-owned (level-2 task expert 72 + gate 24) 3·96 = 288; shared 724.
     * Heads 45 + 9 + 27 = 81.
     */
    @Test
    void pleShapesGatesAndParameterCounts() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(EXPERT, new PleSpec(2, 2, 1, false), null, null), new long[] {10}, TASKS);
                PointerScope s = new PointerScope()) {
            Tensor x = torch.randn(4, 10);
            assertThat(m.network().sharing().encode(x).shape())
                    .containsExactly(4, 8, 8); // 3 task + 2 shared experts, 3 gate inputs
            List<Tensor> outs = m.network().forward(x);
            assertThat(outs.get(0).shape()).containsExactly(4, 5);
            assertThat(outs.get(2).shape()).containsExactly(4, 3);
            for (Tensor g : m.network().sharing().gates(x)) {
                assertThat(g.shape()).containsExactly(4, 3);
                for (double v : Tensors.toDoubles(g.sum(1))) {
                    assertThat(v).isCloseTo(1.0, within(1e-6));
                }
            }
            assertThat(m.parameterCount()).isEqualTo(1012 + 81);
            assertThat(m.sharedParameterCount()).isEqualTo(724);
            assertThat(m.network().taskParameters(0).size())
                    .isEqualTo(5); // head w, b; level-2 gate; level-2 expert w, b
        }
    }

    /** CGC = one level: 5 experts 440 + task gates 90 = 530, of which shared 2·88 = 176. */
    @Test
    void cgcParameterCounts() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(EXPERT, new CgcSpec(2, 1, false), null, null), new long[] {10}, TASKS);
                PointerScope s = new PointerScope()) {
            assertThat(m.network().sharing().encode(torch.randn(2, 10)).shape()).containsExactly(2, 5, 8);
            assertThat(m.parameterCount()).isEqualTo(530 + 81);
            assertThat(m.sharedParameterCount()).isEqualTo(176);
        }
    }

    /** CGC with one shared expert and no task experts: every gate is 1, so it computes exactly hard sharing. */
    @Test
    void cgcWithOneSharedExpertIsHardSharing() {
        try (MultiTaskModel a = MultiTaskModel.build(new ModelSpec(EXPERT, null, null, null), new long[] {10}, TASKS);
                MultiTaskModel b = MultiTaskModel.build(
                        new ModelSpec(EXPERT, new CgcSpec(1, 0, false), null, null), new long[] {10}, TASKS);
                PointerScope s = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            StringTensorDict to = b.network().named_parameters();
            Map<String, Tensor> target = new HashMap<>();
            for (long i = 0; i < to.size(); i++) {
                target.put(to.get(i).key().getString(), to.get(i).value());
            }
            StringTensorDict from = a.network().named_parameters();
            for (long i = 0; i < from.size(); i++) {
                target.get(from.get(i).key().getString().replace("backbone.", "ple.l0_shared_e0."))
                        .copy_(from.get(i).value());
            }
            Tensor x = torch.randn(5, 10);
            for (int k = 0; k < 3; k++) {
                assertThat(Tensors.toDoubles(b.network().forward(x).get(k)))
                        .containsExactly(
                                Tensors.toDoubles(a.network().forward(x).get(k)));
            }
        }
    }

    /** Both Jacobian paths train PLE; the task-owned level-2 gate moves. */
    @Test
    void trainsUnderParameterAndRepresentationJacobians() {
        Device device = TestDevice.get();
        DataSplits data = TinyProblem.generate(6, 96, 16, 16, 9);
        for (String method : List.of("pcgrad", "mgda-ub")) {
            Engine.seed(9);
            try (MultiTaskModel m = MultiTaskModel.build(
                            new ModelSpec(EXPERT, new PleSpec(2, 1, 1, false), null, null),
                            new long[] {6},
                            data.tasks());
                    DeviceData train = new DeviceData(data.train(), data.tasks(), TestDevice.spec(), DType.FLOAT32);
                    Trainer t = Trainer.builder(m, Balancers.create(method, Map.of(), BalancerContext.of(3, 9)))
                            .spec(TrainSpec.defaults()
                                    .withSteps(12L)
                                    .withBatchSize(16)
                                    .withEvalBatchSize(16)
                                    .withOptimizer(OptimizerSpec.adam(1e-2))
                                    .withLogEvery(100L)
                                    .withEvalEvery(0L)
                                    .withCheckpointEvery(0L))
                            .seed(9)
                            .build();
                    PointerScope s = new PointerScope()) {
                TestDevice.on(m);
                double[] before = Tensors.toDoubles(
                        m.network().sharing().taskParameters(1).get(0));
                t.fit(train, null, List.of());
                assertThat(Tensors.toDoubles(
                                m.network().sharing().taskParameters(1).get(0)))
                        .as(method)
                        .isNotEqualTo(before);
            }
        }
    }
}
