package dev.mtlj.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMetricsTest {
    private static final double EPS = 1e-12;

    /**
     * 3 classes, 6 examples. Labels (0,0,1,1,2,2); predicted argmax (0,1,1,1,0,2).
     * Accuracy 4/6. Per class: c0 TP1 FP1 FN1 → F1 = 2/4 = 0.5; c1 TP2 FP1 FN0 → 4/5 = 0.8;
     * c2 TP1 FP0 FN1 → 2/3. Macro-F1 = (0.5 + 0.8 + 0.666667)/3 = 0.655556.
     */
    @Test
    void classificationAccuracyAndMacroF1() {
        TaskMetrics m = new TaskMetrics(TaskSpec.of("c", TaskKind.CLASSIFICATION, 3));
        float[] logits = {
            5, 0, 0, 0, 5, 0, // label 0 → 0, label 0 → 1
            0, 5, 0, 0, 5, 0, // label 1 → 1, 1
            5, 0, 0, 0, 0, 5
        }; // label 2 → 0, 2
        // split into two batches: metrics must cover the whole split, not average batches
        m.add(java.util.Arrays.copyOfRange(logits, 0, 6), new float[] {0, 0}, 2);
        m.add(java.util.Arrays.copyOfRange(logits, 6, 18), new float[] {1, 1, 2, 2}, 4);
        Map<String, Double> r = m.results();
        assertThat(r.get("accuracy")).isCloseTo(4.0 / 6, within(EPS));
        assertThat(r.get("macro_f1")).isCloseTo((0.5 + 0.8 + 2.0 / 3) / 3, within(EPS));
    }

    /**
     * Binary scores (logits) 0.9, 0.3, 0.3, -0.2, -1 with labels 1, 1, 0, 1, 0.
     * Mann–Whitney: positives' ranks (ascending, ties averaged): -1→1, -0.2→2, 0.3,0.3→3.5, 0.9→5.
     * Positives at ranks 5, 3.5, 2 → sum 10.5; AUC = (10.5 − 3·4/2)/(3·2) = 4.5/6 = 0.75.
     * Predictions (logit ≥ 0): 1,1,1,0,0 → accuracy 3/5. F1(class 1): TP2 FP1 FN1 → 4/6; F1(class 0): TP1 FP1 FN1 → 2/4.
     */
    @Test
    void binaryAucAccuracyF1() {
        TaskMetrics m = new TaskMetrics(TaskSpec.of("b", TaskKind.BINARY, 1));
        m.add(new float[] {0.9f, 0.3f, 0.3f}, new float[] {1, 1, 0}, 3);
        m.add(new float[] {-0.2f, -1f}, new float[] {1, 0}, 2);
        Map<String, Double> r = m.results();
        assertThat(r.get("auc")).isCloseTo(0.75, within(EPS));
        assertThat(r.get("accuracy")).isCloseTo(0.6, within(EPS));
        assertThat(r.get("macro_f1")).isCloseTo((4.0 / 6 + 0.5) / 2, within(EPS));
    }

    /**
     * 2 outputs, 3 rows. y = [(1,0),(2,0),(3,2)], ŷ = [(1,1),(2,-1),(5,2)] → errors (0,1),(0,-1),(2,0).
     * MAE = (0+1+0+1+2+0)/6 = 4/6. RMSE = sqrt((0+1+0+1+4+0)/6) = 1.
     * R² dim 0: SS_res 4, mean 2, SS_tot 2 → 1 − 2 = −1. Dim 1: SS_res 2, mean 2/3, SS_tot 4/9+4/9+16/9 = 24/9
     * → 1 − 2·9/24 = 0.25. Uniform average (−1 + 0.25)/2 = −0.375.
     */
    @Test
    void regressionMaeRmseR2() {
        TaskMetrics m = new TaskMetrics(TaskSpec.of("r", TaskKind.REGRESSION, 2));
        m.add(new float[] {1, 1, 2, -1, 5, 2}, new float[] {1, 0, 2, 0, 3, 2}, 3);
        Map<String, Double> r = m.results();
        assertThat(r.get("mae")).isCloseTo(4.0 / 6, within(EPS));
        assertThat(r.get("rmse")).isCloseTo(1.0, within(EPS));
        assertThat(r.get("r2")).isCloseTo(-0.375, within(EPS));
    }

    @Test
    void aucIsUndefinedWithOneClassAndMetricsFollowConfiguredOrder() {
        TaskMetrics m = new TaskMetrics(new TaskSpec(
                "b", TaskKind.BINARY, 1, LossKind.BCE_WITH_LOGITS, 1.0, List.of(MetricKind.AUC, MetricKind.ACCURACY)));
        m.add(new float[] {0.5f, -0.5f}, new float[] {1, 1}, 2);
        assertThat(m.results().keySet()).containsExactly("auc", "accuracy");
        assertThat(m.results().get("auc")).isNaN();
        assertThat(m.results().get("accuracy")).isCloseTo(0.5, within(EPS));
    }
}
