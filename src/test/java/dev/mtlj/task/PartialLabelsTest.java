package dev.mtlj.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Missing labels: the masked loss equals the plain loss computed on the labelled rows alone (libtorch's own mean
 * reduction over the subset, an independent computation); metrics likewise.
 */
class PartialLabelsTest {
    /** Rows 1 and 4 of 6 are missing. */
    private static final long[] LABELLED = {0, 2, 3, 5};

    private static final float[] MASK = {1, 0, 1, 1, 0, 1};

    private static TaskSpec task(LossKind loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> TaskSpec.of("c", TaskKind.CLASSIFICATION, 3);
            case BCE_WITH_LOGITS -> TaskSpec.of("b", TaskKind.BINARY, 1);
            default -> new TaskSpec("r", TaskKind.REGRESSION, 2, loss, 0.7, List.of());
        };
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void maskedLossEqualsTheLossOnTheLabelledSubset(LossKind kind) {
        TaskSpec t = task(kind);
        try (PointerScope s = new PointerScope()) {
            torch.manual_seed(5);
            Tensor out = torch.randn(6, t.outputs()).mul(new org.bytedeco.pytorch.Scalar(2));
            Tensor target = switch (t.kind()) {
                case CLASSIFICATION -> Tensor.create(new long[] {2, -1, 0, 1, -1, 2}, 6);
                case BINARY -> Tensor.create(new float[] {1, Float.NaN, 0, 1, Float.NaN, 0}, 6);
                case REGRESSION ->
                    Tensor.create(
                            new float[] {0.5f, -1, Float.NaN, Float.NaN, 2, 0, 1, 1, Float.NaN, Float.NaN, -0.5f, 3},
                            6,
                            2);
            };
            Tensor index = Tensor.create(LABELLED, 4);
            Tensor mask = Tensor.create(MASK, 6);
            double masked = Losses.compute(t, out, target, mask).item_double();
            double subset = Losses.compute(t, out.index_select(0, index), target.index_select(0, index))
                    .item_double();
            assertThat(masked).isCloseTo(subset, within(1e-6));
        }
    }

    /** No labelled row: the loss is 0 and sends no gradient to the output. */
    @Test
    void noLabelledRowGivesZeroAndNoGradient() {
        TaskSpec t = task(LossKind.MSE);
        try (PointerScope s = new PointerScope()) {
            Tensor out = torch.randn(3, 2).requires_grad_(true);
            Tensor target =
                    Tensor.create(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 3, 2);
            Tensor loss = Losses.compute(t, out, target, torch.zeros(3));
            assertThat(loss.item_double()).isZero();
            TensorVector g = torch.grad(
                    new TensorVector(loss),
                    new TensorVector(out),
                    new TensorVector(),
                    new org.bytedeco.pytorch.BoolOptional(false),
                    false,
                    true);
            assertThat(!g.get(0).defined() || g.get(0).abs().sum().item_double() == 0)
                    .isTrue();
        }
    }

    /** Metrics skip missing rows: equal to the metrics of the labelled rows alone. */
    @Test
    void metricsSkipMissingRows() {
        TaskSpec reg = TaskSpec.of("r", TaskKind.REGRESSION, 1);
        TaskMetrics partial = new TaskMetrics(reg);
        partial.add(new float[] {1, 2, 3, 4}, new float[] {1.5f, Float.NaN, 2, Float.NaN}, 4);
        TaskMetrics subset = new TaskMetrics(reg);
        subset.add(new float[] {1, 3}, new float[] {1.5f, 2}, 2);
        assertThat(partial.results()).isEqualTo(subset.results());
        assertThat(partial.rows()).isEqualTo(2);
        TaskSpec cls = TaskSpec.of("c", TaskKind.CLASSIFICATION, 2);
        TaskMetrics partialC = new TaskMetrics(cls);
        partialC.add(new float[] {0, 1, 1, 0, 0, 1}, new float[] {1, -1, 0}, 3);
        TaskMetrics subsetC = new TaskMetrics(cls);
        subsetC.add(new float[] {0, 1, 0, 1}, new float[] {1, 0}, 2);
        Map<String, Double> a = partialC.results();
        assertThat(a).isEqualTo(subsetC.results());
    }
}
