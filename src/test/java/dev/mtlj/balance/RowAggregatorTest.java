package dev.mtlj.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.engine.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class RowAggregatorTest {
    private static Tensor rows(double[][] r) {
        double[] flat = new double[r.length * r[0].length];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(r[i], 0, flat, i * r[0].length, r[0].length);
        }
        return Tensor.create(flat, r.length, r[0].length);
    }

    private static void close(double[] actual, double tol, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("element %d of %s", i, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[i], within(tol));
        }
    }

    private static RowInput losses(double... l) {
        return new RowInput(0, 0, l);
    }

    /**
     * DB-MTL (docs/methods.md#db-mtl-db-mtl). Step 1: rows C = ((3,0),(0,1)), L = (2, 0.5) → q = ((1.5,0),(0,2)), b = 0.1q,
     * a = (0.2/0.15, 1) → d = (0.2, 0.2). Step 2: rows ((1,0),(0,2)), L = (1, 0.5) → q = ((1,0),(0,4)),
     * b = ((0.235,0),(0,0.58)), a = (0.58/0.235, 1) → d = (0.58, 0.58). Heads get 1/(L+ε).
     */
    @Test
    void dbMtl() {
        try (PointerScope s = new PointerScope();
                DbMtl m = new DbMtl(0.9, 0)) {
            RowAggregator.Result r1 = m.combine(rows(new double[][] {{3, 0}, {0, 1}}), losses(2, 0.5));
            close(Tensors.toDoubles(r1.direction()), 1e-7, 0.2, 0.2);
            close(r1.headWeights(), 1e-7, 0.5, 2);
            RowAggregator.Result r2 = m.combine(rows(new double[][] {{1, 0}, {0, 2}}), losses(1, 0.5));
            close(Tensors.toDoubles(r2.direction()), 1e-6, 0.58, 0.58);
        }
    }

    /**
     * GradDrop (docs/methods.md#graddrop-graddrop, torchjd form): g1 = (1, 2, −1, 0.5), g2 = (−3, 1, −1, 0) → P = (0.25, 1, 0, 1).
     * U = 0.5 everywhere → d = (−3, 3, −2, 0.5); U = (0.1, 0.9, 0.3, 0.7) → d = (1, 3, −2, 0.5).
     */
    @Test
    void gradDrop() {
        try (PointerScope s = new PointerScope();
                GradDrop g = new GradDrop(0)) {
            Tensor r = rows(new double[][] {{1, 2, -1, 0.5}, {-3, 1, -1, 0}});
            close(
                    Tensors.toDoubles(g.combine(r, Tensor.create(new double[] {0.5, 0.5, 0.5, 0.5}, 4))
                            .direction()),
                    1e-12,
                    -3,
                    3,
                    -2,
                    0.5);
            close(
                    Tensors.toDoubles(g.combine(r, Tensor.create(new double[] {0.1, 0.9, 0.3, 0.7}, 4))
                            .direction()),
                    1e-12,
                    1,
                    3,
                    -2,
                    0.5);
            // leak 1 keeps everything: d = g1 + g2
            close(
                    Tensors.toDoubles(new GradDrop(1)
                            .combine(r, Tensor.create(new double[] {0.5, 0.5, 0.5, 0.5}, 4))
                            .direction()),
                    1e-12,
                    -2,
                    3,
                    -2,
                    0.5);
        }
    }

    /**
     * MoCo, first step (our derivation): rows A = ((1,0),(0,1)), L = (2, 0.5): ĝ = ((2,0),(0,0.5)) (norms 1, ε
     * negligible); β₁ = 0.5 → Y = ((1,0),(0,0.25)); YYᵀ = diag(1, 0.0625); λ = softmax((0.5,0.5) − 0.1·(0.5, 0.03125))
     * = softmax(0.45, 0.496875); d = T·Yᵀλ = 2·(λ₁, 0.25λ₂).
     */
    @Test
    void moco() {
        double e1 = Math.exp(0.45);
        double e2 = Math.exp(0.496875);
        double l1 = e1 / (e1 + e2);
        double l2 = e2 / (e1 + e2);
        try (PointerScope s = new PointerScope();
                MoCo m = new MoCo(0.5, 0.1, 0)) {
            RowAggregator.Result r = m.combine(rows(new double[][] {{1, 0}, {0, 1}}), losses(2, 0.5));
            close(Tensors.toDoubles(r.direction()), 1e-7, 2 * l1, 2 * 0.25 * l2);
            close(
                    (double[]) r.extras().get("lambda"),
                    1e-7,
                    l1,
                    l2); // ĝ divides by ‖g‖ + 1e-8: ~1e-9 off the ε-free values
        }
    }

    /**
     * ExcessMTL (our derivation): step 1 rows C = ((3,0),(0,1)): a = g², e⁰ = (9/√(9+1e-7), 1/√(1+1e-7)), q = (1,1),
     * d = (3, 1). Step 2 rows ((3,0),(0,2)): a = ((18,0),(0,5)), e = (9/√(18+1e-7), 4/√(5+1e-7)),
     * q ∝ exp(0.01·e/e⁰), Σq = 2.
     */
    @Test
    void excessMtl() {
        try (PointerScope s = new PointerScope();
                ExcessMtl m = new ExcessMtl(0.01)) {
            RowAggregator.Result r1 = m.combine(rows(new double[][] {{3, 0}, {0, 1}}), losses(1, 1));
            close(Tensors.toDoubles(r1.direction()), 1e-12, 3, 1);
            RowAggregator.Result r2 = m.combine(rows(new double[][] {{3, 0}, {0, 2}}), losses(1, 1));
            double a = Math.exp(0.01 * (9 / Math.sqrt(18 + 1e-7)) / (9 / Math.sqrt(9 + 1e-7)));
            double b = Math.exp(0.01 * (4 / Math.sqrt(5 + 1e-7)) / (1 / Math.sqrt(1 + 1e-7)));
            double q1 = 2 * a / (a + b);
            double q2 = 2 * b / (a + b);
            close(r2.headWeights(), 1e-12, q1, q2);
            close(Tensors.toDoubles(r2.direction()), 1e-12, 3 * q1, 2 * q2);
        }
    }
}
