package dev.mtlj.balance;

import static dev.mtlj.balance.Examples.A;
import static dev.mtlj.balance.Examples.B;
import static dev.mtlj.balance.Examples.C;
import static dev.mtlj.balance.Examples.D;
import static dev.mtlj.balance.Examples.E;
import static dev.mtlj.balance.Examples.close;
import static dev.mtlj.balance.Examples.direction;
import static dev.mtlj.balance.Examples.gram;
import static dev.mtlj.balance.Examples.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Gradient aggregators on the examples A–E, values derived by hand; weights on the canonical scale (docs/methods.md#scales). */
class AggregatorTest {
    private static final double[] L = {2, 0.5};

    /** MGDA: α on the simplex, canonical w = T·α/ν. */
    @Test
    void mgda() {
        Mgda m = new Mgda(Mgda.Normalization.NONE, false);
        close(run(m, A, null).weights(), 1e-9, 1, 1);
        close(run(m, B, null).weights(), 1e-9, 2 * 201.0 / 401, 2 * 200.0 / 401);
        close(run(m, C, null).weights(), 1e-9, 0.2, 1.8);
        close(run(m, D, null).weights(), 1e-9, 2, 0);
        close(run(m, E, null).weights(), 1e-9, 3 / 2.0, 3 / 6.0, 3 / 3.0);
        assertThat((double) run(m, E, null).extras().get("kkt_residual")).isLessThan(1e-9);
        // C with l2: rows become A, α = (0.5, 0.5); d = α_i ĝ_i → w = 2·(0.5/3, 0.5/1)
        close(run(new Mgda(Mgda.Normalization.L2, false), C, null).weights(), 1e-9, 1 / 3.0, 1);
        // A with loss, L = (2, 0.5): α = (0.941176, 0.058824); w = 2·α/L = (0.941176, 0.235294)
        close(run(new Mgda(Mgda.Normalization.LOSS, false), A, L).weights(), 1e-6, 0.941176, 0.235294);
    }

    /** PCGrad. */
    @Test
    void pcgrad() {
        close(PcGrad.weights(gram(A), new int[][] {{1}, {0}}), 1e-12, 1, 1);
        close(PcGrad.weights(gram(B), new int[][] {{1}, {0}}), 1e-7, 2, 1.990099);
        close(PcGrad.weights(gram(E), new int[][] {{1, 2}, {0, 2}, {0, 1}}), 1e-12, 2, 1, 1.5);
        double[][] rows = {{1, 0}, {-1, 2}, {-1, -1}};
        close(PcGrad.weights(gram(rows), new int[][] {{1, 2}, {0, 2}, {0, 1}}), 1e-12, 3, 1.6, 2.6);
        close(PcGrad.weights(gram(rows), new int[][] {{2, 1}, {2, 0}, {1, 0}}), 1e-12, 3.7, 1.5, 2);
        close(direction(rows, PcGrad.weights(gram(rows), new int[][] {{1, 2}, {0, 2}, {0, 1}})), 1e-12, -1.2, 0.6);
    }

    /** CAGrad, c = 0.5, no rescale: canonical = T·u. */
    @Test
    void cagrad() {
        CaGrad c = new CaGrad(0.5, CaGrad.Rescale.NONE);
        close(run(c, A, null).weights(), 1e-7, 1.5, 1.5);
        close(run(c, C, null).weights(), 1e-9, 1.0, 2 * (0.5 + 0.5 * Math.sqrt(2.5))); // λ = ρ = c‖ḡ‖ = 0.5√2.5
        close(run(new CaGrad(0.5, CaGrad.Rescale.NONE), B, null).weights(), 2e-5, 2 * 0.750929, 2 * 0.747193);
        close(
                run(new CaGrad(0.5, CaGrad.Rescale.NONE), E, null).weights(),
                2e-5,
                3 * 0.644949,
                3 * 0.333333,
                3 * 0.429965);
        // rescale 1 + c² on C: d = (1.2, 1.032456) → weights (1.2/3·2, 1.032456·2)
        close(
                direction(
                        C,
                        run(new CaGrad(0.5, CaGrad.Rescale.ONE_PLUS_C_SQUARED), C, null)
                                .weights()),
                1e-6,
                2 * 1.2,
                2 * 1.032456);
        // c = 0 is the mean gradient; identical rows g give T(1+c)·g
        close(run(new CaGrad(0, CaGrad.Rescale.NONE), C, null).weights(), 1e-12, 1, 1);
        close(
                direction(
                        new double[][] {{1, 2}, {1, 2}},
                        run(new CaGrad(0.5, CaGrad.Rescale.NONE), new double[][] {{1, 2}, {1, 2}}, null)
                                .weights()),
                1e-6,
                2 * 1.5,
                2 * 1.5 * 2);
    }

    /** IMTL-G: canonical T·α. */
    @Test
    void imtlG() {
        ImtlG m = new ImtlG(false);
        close(run(m, A, null).weights(), 1e-12, 1, 1);
        close(run(m, C, null).weights(), 1e-12, 0.5, 1.5);
        close(run(m, B, null).weights(), 1e-6, 2 * 0.501244, 2 * 0.498756);
        // E: H⁻¹n = (2+√2, 1, 1+√2), sum 4+2√2
        double r2 = Math.sqrt(2);
        close(
                run(m, E, null).weights(),
                1e-12,
                3 * (2 + r2) / (4 + 2 * r2),
                3 / (4 + 2 * r2),
                3 * (1 + r2) / (4 + 2 * r2));
        // D: colinear rows (1, 0) and (2, 0); every α on the line Σα = 1 projects equally. The minimum-norm choice is
        // taken
        // on the unit rows: Ĥ = [[1, 1], [1, 1]], Ĥ⁺1 = (½, ½) = Dα → α ∝ (½, ¼) → α = (2/3, 1/3), canonical (4/3,
        // 2/3):
        // each task's unit direction weighted equally (torchjd's H⁺n picks (1/3, 2/3) instead)
        close(run(m, D, null).weights(), 1e-9, 4 / 3.0, 2 / 3.0);
    }

    /** Nash-MTL, unclipped (max_norm 0) and clipped. */
    @Test
    void nashMtl() {
        close(run(new NashMtl(0, 1), A, null).weights(), 1e-9, 1, 1);
        close(run(new NashMtl(0, 1), C, null).weights(), 1e-9, 1 / 3.0, 1);
        close(run(new NashMtl(0, 1), E, null).weights(), 1e-6, 1.847759, 1, 1.306563);
        close(run(new NashMtl(0, 1), B, null).weights(), 1e-5, 14.195026, 14.124579);
        close(run(new NashMtl(0, 1), D, null).weights(), 1e-9, Math.sqrt(0.5), Math.sqrt(0.125));
        // clipped to ‖d‖ = 1: A's d = (1, 1) → (0.707107, 0.707107)
        close(run(new NashMtl(1, 1), A, null).weights(), 1e-9, Math.sqrt(0.5), Math.sqrt(0.5));
        Balance none = run(new NashMtl(1, 1), new double[][] {{1, 2}, {-1, -2}}, null);
        assertThat(none.extras()).containsEntry("pareto_stationary", true).containsEntry("min_norm_sq", 0.0);
        close(none.weights(), 0, 0, 0);
        close(run(new FairGrad(1), C, null).weights(), 1e-9, 1 / 3.0, 1);
    }

    /** Aligned-MTL (p = 1). */
    @Test
    void alignedMtl() {
        AlignedMtl m = new AlignedMtl(false);
        close(run(m, A, null).weights(), 1e-9, 1, 1);
        close(run(m, C, null).weights(), 1e-9, 1 / 3.0, 1);
        close(run(m, B, null).weights(), 1e-6, 1.002369, 0.997619);
        close(run(m, E, null).weights(), 1e-6, 1.105573, 0.618034, 0.829180);
    }

    /** UPGrad and DualProj (exact with a tiny regulariser; reference defaults with 1e-4). */
    @Test
    void upgradAndDualProj() {
        close(run(new UpGrad(false, 1e-12), A, null).weights(), 1e-9, 1, 1);
        close(run(new UpGrad(false, 1e-12), B, null).weights(), 1e-7, 2, 1.990099);
        close(run(new UpGrad(false, 1e-12), E, null).weights(), 1e-8, 2, 1, 1.5);
        close(run(new UpGrad(false, 1e-4), B, null).weights(), 2e-6, 2 * 0.999900, 2 * 0.994951);
        close(run(new UpGrad(false, 1e-4), E, null).weights(), 2e-6, 3 * 0.666533, 3 * 0.333333, 3 * 0.499967);
        close(run(new UpGrad(true, 1e-12), B, null).weights(), 1e-8, 1, 1);
        close(run(new UpGrad(true, 1e-12), E, null).weights(), 1e-8, 1, 1, 1);
        // all conflicting: the dual cone is {0}, d = 0
        double[][] rows = {{1, 0}, {0, 1}, {-1, -1}};
        close(direction(rows, run(new UpGrad(false, 1e-12), rows, null).weights()), 1e-8, 0, 0);
    }

    /**
     * GradVac on B with β = 0.5: step 1 equals PCGrad (d = (0.00990099, 0.19900990)), targets become
     * −0.4975186; step 2 (same gradients) d = (0.009333, 0.193331).
     */
    @Test
    void gradVac() {
        GradVac g = new GradVac(0.5, 0);
        close(direction(B, run(g, B, null).weights()), 1e-7, 0.00990099, 0.19900990);
        close(direction(B, run(g, B, null).weights()), 1e-6, 0.009333, 0.193331);
        close(direction(B, run(new GradVac(0.01, 0), B, null).weights()), 1e-7, 0.00990099, 0.19900990);
    }

    /** ConFIG, example E: d = (0.436131, 0.436131, 1.052912) → w = (d1 + d3, d2, d3). */
    @Test
    void config() {
        Balance b = run(new ConFig(), E, null);
        close(direction(E, b.weights()), 1e-6, 0.436131, 0.436131, 1.052912);
        close(b.weights(), 2e-6, 1.489043, 0.436131, 1.052912); // sums of the doc's 6-digit values
    }
}
