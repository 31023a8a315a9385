package dev.mtlj.balance;

import static dev.mtlj.balance.Examples.direction;
import static dev.mtlj.balance.Examples.gram;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Method-specific invariants on random Jacobians (jqwik): MGDA's min-norm point, UPGrad's and DualProj's non-conflict,
 * PCGrad's non-conflict for two tasks, Nash-MTL's bargaining system, the directions for identical rows. The properties
 * every registered method shares (permutations, scaling, degenerate inputs) are in {@link BalancerSuiteTest}.
 */
class AggregatorProperties {
    /** Random Jacobians: T in [2, 5] rows, P in [1, 6] columns, entries in [−3, 3]. */
    @Provide
    Arbitrary<double[][]> jacobians() {
        return Combinators.combine(
                        Arbitraries.integers().between(2, 5),
                        Arbitraries.integers().between(1, 6))
                .flatAs((t, p) -> Arbitraries.doubles()
                        .between(-3, 3)
                        .array(double[].class)
                        .ofSize(p)
                        .array(double[][].class)
                        .ofSize(t));
    }

    private static double[] weights(GramianWeighting b, double[][] rows) {
        return b.weigh(new GramianInput(0, 0, gram(rows), null)).weights();
    }

    private static double scale(double[][] rows) {
        double s = 0;
        for (double[] r : rows) {
            s = Math.max(s, Mat.dot(r, r));
        }
        return Math.max(s, 1e-12);
    }

    /** MGDA: d = Σα_i g_i (α = w/T) is the min-norm point of the hull: ⟨g_i, d⟩ ≥ ‖d‖² for every i (KKT). */
    @Property(tries = 200)
    void mgdaIsTheMinNormPointOfTheHull(@ForAll("jacobians") double[][] rows) {
        if (Mat.trace(gram(rows)) == 0) {
            return; // all-zero Jacobian: w = 0 by convention (flagged zero_jacobian)
        }
        double[] w = weights(new Mgda(Mgda.Normalization.NONE, false), rows);
        int t = rows.length;
        double[] alpha = Mat.scale(w, 1.0 / t);
        assertThat(Mat.sum(alpha)).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
        double[] d = direction(rows, alpha);
        double dd = Mat.dot(d, d);
        for (double[] g : rows) {
            assertThat(Mat.dot(g, d)).isGreaterThanOrEqualTo(dd - 1e-7 * scale(rows));
        }
        for (double a : alpha) {
            assertThat(a).isGreaterThanOrEqualTo(-1e-12);
        }
    }

    /**
     * UPGrad and DualProj (regulariser r = 1e-10): d does not conflict with any task up to the regulariser's own
     * slack. Each projection's KKT condition on the trace-normalised H + r·I gives ⟨g_i, Jᵀv⟩ ≥ −r·tr(H)·v_i, and
     * summing the projections on the canonical scale ⟨g_i, d⟩ ≥ −r·tr(H)·w_i; plus 1e-9·max‖g‖² for rounding. (When
     * the dual cone is {0} the weights grow large — 4,100 in a case jqwik found — and the slack with them.)
     */
    @Property(tries = 200)
    void upgradAndDualProjDoNotConflict(@ForAll("jacobians") double[][] rows) {
        double trace = 0;
        for (double[] g : rows) {
            trace += Mat.dot(g, g);
        }
        for (GramianWeighting b : new GramianWeighting[] {new UpGrad(false, 1e-10), new UpGrad(true, 1e-10)}) {
            double[] w = weights(b, rows);
            double[] d = direction(rows, w);
            for (int i = 0; i < rows.length; i++) {
                assertThat(Mat.dot(rows[i], d))
                        .as(b.name())
                        .isGreaterThanOrEqualTo(-1e-10 * trace * w[i] - 1e-9 * scale(rows));
            }
        }
    }

    /** The case jqwik found (one zero row; the other rows' dual cone is {0}): at the bound, not beyond it. */
    @Example
    void upgradSlackCaseFoundByJqwik() {
        upgradAndDualProjDoNotConflict(new double[][] {{0, 0}, {0.16, 0.2}, {0, -0.9}, {0.81, -0.47}, {-0.69, -0.86}});
    }

    /** PCGrad with two tasks: d conflicts with neither (docs/methods.md#pcgrad-pcgrad). */
    @Property(tries = 200)
    void pcgradWithTwoTasksDoesNotConflict(@ForAll("jacobians") double[][] rows) {
        double[][] two = {rows[0], rows[1]};
        double[] d = direction(two, PcGrad.weights(gram(two), new int[][] {{1}, {0}}));
        for (double[] g : two) {
            assertThat(Mat.dot(g, d)).isGreaterThanOrEqualTo(-1e-9 * scale(two));
        }
    }

    /** Nash-MTL (unclipped), when solvable: α_i(Hα)_i = 1, so ⟨d, g_i⟩ = 1/α_i > 0 and ‖d‖² = T. */
    @Property(tries = 200)
    void nashSolvesTheBargainingSystem(@ForAll("jacobians") double[][] rows) {
        Balance b = new NashMtl(0, 1).weigh(new GramianInput(0, 0, gram(rows), null));
        if (b.extras().containsKey("pareto_stationary") || b.extras().containsKey("zero_jacobian")) {
            assertThat(b.weights()).containsOnly(0.0);
            return;
        }
        double[] d = direction(rows, b.weights());
        int active = 0;
        for (int i = 0; i < rows.length; i++) {
            if (Mat.dot(rows[i], rows[i]) > 0) { // a zero gradient takes no part: α_i = 0
                active++;
                assertThat(Mat.dot(rows[i], d) * b.weights()[i])
                        .isCloseTo(1, org.assertj.core.api.Assertions.within(1e-6));
            } else {
                assertThat(b.weights()[i]).isZero();
            }
        }
        assertThat(Mat.dot(d, d)).isCloseTo(active, org.assertj.core.api.Assertions.within(1e-6 * active));
    }

    /** Identical rows g: d = T·g for the methods that average a non-conflicting input, T(1+c)·g for CAGrad. */
    @Property(tries = 100)
    void identicalRowsGiveThatDirection(@ForAll("jacobians") double[][] rows) {
        double[] g = rows[0];
        if (Mat.dot(g, g) < 1e-6) {
            return;
        }
        int t = rows.length;
        double[][] same = new double[t][];
        java.util.Arrays.fill(same, g);
        for (GramianWeighting b : new GramianWeighting[] {
            new Mgda(Mgda.Normalization.NONE, false),
            new ImtlG(false),
            new UpGrad(false, 1e-12),
            new UpGrad(true, 1e-12),
            new AlignedMtl(false),
            new CaGrad(0.5, CaGrad.Rescale.NONE)
        }) {
            double k = b instanceof CaGrad ? t * 1.5 : t;
            double[] d = direction(same, weights(b, same));
            for (int j = 0; j < g.length; j++) {
                assertThat(d[j])
                        .as(b.name())
                        .isCloseTo(k * g[j], org.assertj.core.api.Assertions.within(1e-6 * k * (1 + Math.abs(g[j]))));
            }
        }
    }
}
