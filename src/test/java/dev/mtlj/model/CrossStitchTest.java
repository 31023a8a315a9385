package dev.mtlj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.engine.Tensors;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class CrossStitchTest {
    private static final List<TaskSpec> TWO =
            List.of(TaskSpec.of("a", TaskKind.REGRESSION, 2), TaskSpec.of("b", TaskKind.BINARY, 1));

    /**
     * MLP backbone 6 → 4 → 3, two tasks. Columns: 2·(6·4+4 + 4·3+3) = 2·43 = 86; stitch units 2²·4 + 2²·3 = 28;
     * heads 3·2+2 + 3·1+1 = 12. Stitch tensors start at a_ii = 0.9, a_ij = 0.1.
     */
    @Test
    void mlpShapesCountsAndInitialisation() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(4, 3), 0.0), new CrossStitchSpec(null, null), null, null),
                        new long[] {6},
                        TWO);
                PointerScope s = new PointerScope()) {
            assertThat(m.network().sharing().encode(torch.randn(5, 6)).shape()).containsExactly(5, 2, 3);
            List<Tensor> outs = m.network().forward(torch.randn(5, 6));
            assertThat(outs.get(0).shape()).containsExactly(5, 2);
            assertThat(outs.get(1).shape()).containsExactly(5, 1);
            assertThat(m.sharedParameterCount()).isEqualTo(86 + 28);
            assertThat(m.parameterCount()).isEqualTo(86 + 28 + 12);
            float[] stitch0 =
                    Tensors.toFloats(m.network().named_parameters().get(0).value());
            assertThat(m.network().named_parameters().get(0).key().getString()).isEqualTo("cross_stitch.stitch0");
            assertThat(stitch0)
                    .containsExactly(
                            0.9f, 0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f,
                            0.9f);
        }
    }

    /** After the first stitch, task a's loss reaches column b's first layer (so columns are shared parameters). */
    @Test
    void everyColumnInfluencesEveryTask() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(4, 3), 0.0), new CrossStitchSpec(null, null), null, null),
                        new long[] {6},
                        TWO);
                PointerScope s = new PointerScope()) {
            m.network()
                    .forward(torch.randn(5, 6))
                    .get(0)
                    .pow(new org.bytedeco.pytorch.Scalar(2))
                    .sum()
                    .backward();
            org.bytedeco.pytorch.StringTensorDict named = m.network().named_parameters();
            for (long i = 0; i < named.size(); i++) {
                if (named.get(i).key().getString().equals("cross_stitch.col1_stage0.fc0.weight")) {
                    assertThat(
                                    Tensors.toDoubles(
                                            named.get(i).value().grad().abs().sum())[0])
                            .isPositive();
                    return;
                }
            }
            throw new AssertionError("column 1's first layer not found");
        }
    }

    /** CNN columns [1, 8, 8] with channels [2, 3]: stitch after each conv block, channel-wise. */
    @Test
    void cnnColumns() {
        try (MultiTaskModel m = MultiTaskModel.build(
                        new ModelSpec(
                                new CnnSpec(List.of(2, 3), 3, false, null, null),
                                new CrossStitchSpec(1.0, 0.0),
                                null,
                                null),
                        new long[] {1, 8, 8},
                        TWO);
                PointerScope s = new PointerScope()) {
            assertThat(m.network().forward(torch.randn(4, 1, 8, 8)).get(0).shape())
                    .containsExactly(4, 2);
            // columns 2·((1·2·9+2) + (2·3·9+3)) = 2·77 = 154; stitches 4·2 + 4·3 = 20; flat features 3·2·2 = 12
            assertThat(m.sharedParameterCount()).isEqualTo(154 + 20);
            assertThat(m.network().sharing().taskFeatureShape(0)).containsExactly(12);
        }
        assertThatThrownBy(() -> MultiTaskModel.build(
                        new ModelSpec(
                                new ResNetSpec(null, null, null, null), new CrossStitchSpec(null, null), null, null),
                        new long[] {1, 8, 8},
                        TWO))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("supports mlp and cnn backbones, not resnet");
    }
}
