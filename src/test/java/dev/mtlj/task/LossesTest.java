package dev.mtlj.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static double loss(TaskSpec t, Tensor out, Tensor target) {
        try (PointerScope s = new PointerScope()) {
            return Losses.compute(t, out, target).item_double();
        }
    }

    private static Tensor t(double[] v, long... shape) {
        return Tensor.create(v, shape);
    }

    /** Errors (1, −2, 0.5, 3) → MSE = (1+4+0.25+9)/4 = 3.5625; L1 = 6.5/4 = 1.625. */
    @Test
    void mseAndL1() {
        try (PointerScope s = new PointerScope()) {
            Tensor out = t(new double[] {1, -2, 0.5, 3}, 2, 2);
            Tensor y = t(new double[] {0, 0, 0, 0}, 2, 2);
            assertThat(loss(TaskSpec.of("r", TaskKind.REGRESSION, 2), out, y)).isCloseTo(3.5625, within(1e-12));
            TaskSpec l1 = new TaskSpec("r", TaskKind.REGRESSION, 2, LossKind.L1, 1.0, List.of());
            assertThat(loss(l1, out, y)).isCloseTo(1.625, within(1e-12));
        }
    }

    /** Huber δ = 1: |e| ≤ 1 → e²/2, else δ(|e| − δ/2). Errors (1,−2,0.5,3) → (0.5, 1.5, 0.125, 2.5) → mean 1.15625. */
    @Test
    void huber() {
        try (PointerScope s = new PointerScope()) {
            TaskSpec h = new TaskSpec("r", TaskKind.REGRESSION, 2, LossKind.HUBER, 1.0, List.of());
            assertThat(loss(h, t(new double[] {1, -2, 0.5, 3}, 2, 2), t(new double[4], 2, 2)))
                    .isCloseTo(1.15625, within(1e-12));
        }
    }

    /**
     * Logits rows (0, ln 3) with label 1 → softmax p1 = 3/4 → −ln 0.75 = 0.287682;
     * (0, 0) with label 0 → ln 2 = 0.693147. Mean 0.490415.
     */
    @Test
    void crossEntropy() {
        try (PointerScope s = new PointerScope()) {
            Tensor logits = t(new double[] {0, Math.log(3), 0, 0}, 2, 2);
            Tensor labels = Tensor.create(new long[] {1, 0}, 2);
            double expected = (-Math.log(0.75) + Math.log(2)) / 2;
            assertThat(loss(TaskSpec.of("c", TaskKind.CLASSIFICATION, 2), logits, labels))
                    .isCloseTo(expected, within(1e-12));
        }
    }

    /** BCE with logits: z = 0, y = 1 → ln 2; z = ln 3 (p = 3/4), y = 0 → −ln(1/4) = ln 4. Mean (ln 2 + ln 4)/2 = 1.5 ln 2. */
    @Test
    void binaryCrossEntropyWithLogits() {
        try (PointerScope s = new PointerScope()) {
            Tensor logits = t(new double[] {0, Math.log(3)}, 2, 1);
            Tensor labels = t(new double[] {1, 0}, 2);
            assertThat(loss(TaskSpec.of("b", TaskKind.BINARY, 1), logits, labels))
                    .isCloseTo(1.5 * Math.log(2), within(1e-12));
        }
    }

    @Test
    void lossMustSuitTheTaskKind() {
        assertThatThrownBy(() -> new TaskSpec("c", TaskKind.CLASSIFICATION, 3, LossKind.MSE, 1.0, List.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("task 'c': loss 'mse' does not suit kind classification; allowed: cross_entropy");
        assertThatThrownBy(() -> new TaskSpec("r", TaskKind.REGRESSION, 1, LossKind.MSE, 1.0, List.of(MetricKind.AUC)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("metric 'auc' does not suit kind regression");
    }
}
