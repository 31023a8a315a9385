package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class MultiTaskModelTest {
    private static final List<TaskSpec> TASKS = List.of(
            TaskSpec.of("a", TaskKind.CLASSIFICATION, 5),
            TaskSpec.of("b", TaskKind.BINARY, 1),
            TaskSpec.of("c", TaskKind.REGRESSION, 3));

    @Test
    void mlpOutputShapesPerHeadAndParameterCounts() {
        ModelSpec spec =
                new ModelSpec(new MlpSpec(List.of(16, 8), 0.1), null, null, Map.of("a", new HeadSpec(List.of(4), 0.0)));
        try (MultiTaskModel m = MultiTaskModel.build(spec, new long[] {10}, TASKS);
                PointerScope s = new PointerScope()) {
            List<Tensor> outs = m.network().forward(torch.randn(7, 10));
            assertThat(outs.get(0).shape()).containsExactly(7, 5);
            assertThat(outs.get(1).shape()).containsExactly(7, 1);
            assertThat(outs.get(2).shape()).containsExactly(7, 3);
            // Hand count: trunk 10·16+16 + 16·8+8 = 312; head a: 8·4+4 + 4·5+5 = 61; b: 8+1 = 9; c: 8·3+3 = 27.
            assertThat(m.sharedParameterCount()).isEqualTo(312);
            assertThat(m.parameterCount()).isEqualTo(312 + 61 + 9 + 27);
            assertThat(m.network().taskParameters(0).size()).isEqualTo(4);
        }
    }

    @Test
    void cnnBackboneOnImages() {
        ModelSpec spec = new ModelSpec(new CnnSpec(List.of(4, 8), 3, true, List.of(12), 0.0), null, null, null);
        try (MultiTaskModel m = MultiTaskModel.build(spec, new long[] {1, 12, 12}, TASKS);
                PointerScope s = new PointerScope()) {
            List<Tensor> outs = m.network().forward(torch.randn(2, 1, 12, 12));
            assertThat(outs.get(0).shape()).containsExactly(2, 5);
            assertThat(m.network().sharing().taskFeatureShape(0)).containsExactly(12);
            // conv1 1·4·9+4 = 40, bn1 8, conv2 4·8·9+8 = 296, bn2 16, fc (8·3·3)·12+12 = 876 → 1236 shared.
            assertThat(m.sharedParameterCount()).isEqualTo(1236);
            assertThat(m.network().sharing().lastSharedWeight().shape()).containsExactly(12, 72);
        }
    }

    /**
     * ResNet, channels [4, 8], 1 block per stage, input [3, 8, 8]. Hand count (convs have no bias; BN has γ, β):
     * stem 3·4·9 + 8 = 116; stage 0 block 4→4: 144 + 8 + 144 + 8 = 304; stage 1 block 4→8, stride 2:
     * 288 + 16 + 576 + 16 = 896 plus shortcut 1×1 conv 32 + BN 16 = 48 → 944. Shared 1364; heads 45 + 9 + 27 = 81.
     */
    @Test
    void resnetBackbone() {
        ModelSpec spec = new ModelSpec(new ResNetSpec(List.of(4, 8), 1, null, null), null, null, null);
        try (MultiTaskModel m = MultiTaskModel.build(spec, new long[] {3, 8, 8}, TASKS);
                PointerScope s = new PointerScope()) {
            assertThat(m.network().sharing().taskFeatureShape(0)).containsExactly(8);
            List<Tensor> outs = m.network().forward(torch.randn(2, 3, 8, 8));
            assertThat(outs.get(0).shape()).containsExactly(2, 5);
            assertThat(outs.get(2).shape()).containsExactly(2, 3);
            assertThat(m.sharedParameterCount()).isEqualTo(1364);
            assertThat(m.parameterCount()).isEqualTo(1364 + 81);
            assertThat(m.network().sharing().lastSharedWeight().shape()).containsExactly(8, 8, 3, 3);
            // one optimisation step through the residual graph changes the stem
            double before = m.network().parameters().get(0).sum().item_double();
            org.bytedeco.pytorch.SGD sgd =
                    new org.bytedeco.pytorch.SGD(m.network().parameters(), new org.bytedeco.pytorch.SGDOptions(0.1));
            m.network()
                    .forward(torch.randn(4, 3, 8, 8))
                    .get(2)
                    .pow(new org.bytedeco.pytorch.Scalar(2))
                    .mean()
                    .backward();
            sgd.step();
            assertThat(m.network().parameters().get(0).sum().item_double()).isNotEqualTo(before);
        }
        assertThatThrownBy(() -> MultiTaskModel.build(
                        new ModelSpec(new ResNetSpec(List.of(4, 8, 16, 32, 64), 1, null, null), null, null, null),
                        new long[] {1, 8, 8},
                        TASKS))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("5 stages halve 8x8 images below 1x1");
    }

    @Test
    void freezingTheBackboneLeavesItOutOfTheTrainableSet() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(6), 0.0), null, null, null), new long[] {3}, TASKS);
                PointerScope s = new PointerScope()) {
            long all = m.network().trainableParameters().size();
            m.setFrozen("backbone", true);
            assertThat(m.network().trainableParameters().size()).isEqualTo(all - 2);
            m.setFrozen("head:b", true);
            assertThat(m.network().trainableParameters().size()).isEqualTo(all - 4);
            assertThatThrownBy(() -> m.setFrozen("head:zzz", true))
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("cannot freeze 'head:zzz'");
        }
    }

    @Test
    void badShapesAndNamesAreClearErrors() {
        assertThatThrownBy(() -> MultiTaskModel.build(
                        new ModelSpec(new CnnSpec(null, null, null, null, null), null, null, null),
                        new long[] {250},
                        TASKS))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("cnn backbone needs image examples of shape [C, H, W]; the data has [250]");
        assertThatThrownBy(() -> MultiTaskModel.build(
                        new ModelSpec(null, null, null, Map.of("nope", HeadSpec.linear())), new long[] {4}, TASKS))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("model.heads names 'nope', which is not a task");
    }

    @Test
    void useAfterCloseIsAClearError() {
        MultiTaskModel m = MultiTaskModel.build(ModelSpec.defaults(), new long[] {4}, TASKS);
        m.close();
        assertThatThrownBy(m::parameterCount)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
