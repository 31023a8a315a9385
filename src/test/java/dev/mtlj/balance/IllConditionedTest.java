package dev.mtlj.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each method's defining property on Jacobians whose row norms span 1e-3 to 1e3 (Gramian condition numbers up to
 * ~1e12), in float64: where a closed form exists the answer is compared with it, otherwise the property the method is
 * defined by is checked directly. Tolerances follow the input's conditioning, not a fixed number.
 */
class IllConditionedTest {
    private static final int TRIALS = 60;

    /** T rows in T + 3 dimensions: random directions, norms 10^U(−3, 3). */
    private static double[][] rows(Random rnd, int t) {
        double[][] j = BalancerSuiteTest.randomRows(rnd, t, t + 3);
        for (double[] g : j) {
            double scale = Math.pow(10, -3 + 6 * rnd.nextDouble()) / Math.sqrt(Mat.dot(g, g));
            for (int k = 0; k < g.length; k++) {
                g[k] *= scale;
            }
        }
        return j;
    }

    private static Standalone.Result run(String method, Map<String, Object> params, double[][] j) {
        try (Balancer b = Balancers.create(method, params, BalancerContext.of(j.length, 0))) {
            return Standalone.apply(b, j, null, null, false, 0);
        }
    }

    /** MGDA, T = 2: the min-norm point of the segment [g1, g2] in closed form, α = clamp(⟨g2 − g1, g2⟩/‖g2 − g1‖², 0, 1). */
    @Test
    void mgdaMatchesTheClosedFormForTwoTasks() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2);
            double[] diff = {0, 0, 0, 0, 0};
            for (int k = 0; k < 5; k++) {
                diff[k] = j[1][k] - j[0][k];
            }
            double a = Math.max(0, Math.min(1, Mat.dot(diff, j[1]) / Mat.dot(diff, diff)));
            double[] exact = new double[5];
            for (int k = 0; k < 5; k++) {
                exact[k] = a * j[0][k] + (1 - a) * j[1][k];
            }
            double[] d = run("mgda", Map.of(), j).direction(); // canonical d = T·(min-norm point)
            double size = Math.sqrt(Mat.dot(exact, exact));
            for (int k = 0; k < 5; k++) {
                assertThat(d[k] / 2).as("trial %d", trial).isCloseTo(exact[k], within(1e-9 * size + 1e-300));
            }
        }
    }

    /** MGDA, any T: the KKT conditions of the min-norm point, ⟨g_i, d⟩ ≥ ‖d‖² with equality where α_i > 0. */
    @Test
    void mgdaIsTheMinNormPointAtEveryScale() {
        Random rnd = new Random(12);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 3 + rnd.nextInt(4));
            Standalone.Result r = run("mgda", Map.of(), j);
            double[] d = Mat.scale(r.direction(), 1.0 / j.length);
            double dd = Mat.dot(d, d);
            double maxNorm = 0;
            for (double[] g : j) {
                maxNorm = Math.max(maxNorm, Math.sqrt(Mat.dot(g, g)));
            }
            double slack = 1e-9 * maxNorm * Math.sqrt(dd);
            for (int i = 0; i < j.length; i++) {
                double inner = Mat.dot(j[i], d);
                assertThat(inner).as("trial %d task %d", trial, i).isGreaterThanOrEqualTo(dd - slack);
                if (r.weights()[i] > 1e-9) {
                    assertThat(inner).as("trial %d active task %d", trial, i).isCloseTo(dd, within(slack));
                }
            }
        }
    }

    /** IMTL-G: d has the same projection on every unit gradient, ⟨d, g_i⟩/‖g_i‖ (before the fix: spread up to 0.43). */
    @Test
    void imtlGProjectsEquallyAtEveryScale() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2 + rnd.nextInt(5));
            double[] d = run("imtl-g", Map.of(), j).direction();
            double first = Mat.dot(d, j[0]) / Math.sqrt(Mat.dot(j[0], j[0]));
            for (double[] g : j) {
                assertThat(Mat.dot(d, g) / Math.sqrt(Mat.dot(g, g)))
                        .as("trial %d", trial)
                        .isCloseTo(first, within(1e-9 * Math.abs(first)));
            }
        }
    }

    /** ConFIG (T ≤ P, full rank): d = (Σ⟨g_i, u⟩)u with ⟨û_i, v⟩ = 1 for every i, so its unit projections are equal. */
    @Test
    void configProjectsEquallyAtEveryScale() {
        Random rnd = new Random(14);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2 + rnd.nextInt(5));
            double[] d = run("config", Map.of(), j).direction();
            double first = Mat.dot(d, j[0]) / Math.sqrt(Mat.dot(j[0], j[0]));
            for (double[] g : j) {
                assertThat(Mat.dot(d, g) / Math.sqrt(Mat.dot(g, g)))
                        .as("trial %d", trial)
                        .isCloseTo(first, within(1e-9 * Math.abs(first)));
            }
        }
    }

    /**
     * Aligned-MTL (full rank): the balanced rows BJ are orthogonal with equal norm σ = √λ_min, so ‖d‖² = ‖1ᵀBJ‖² =
     * T·λ_min. λ_min is computed independently (Jacobi rotations); the tolerance is float64's eigenvalue accuracy
     * relative to λ_min, 100·T·ε·λ_max/λ_min. (With float32's ε in the rank cut, float64 inputs were off by 1e10.)
     */
    @Test
    void alignedMtlBalancesToTheSmallestEigenvalue() {
        Random rnd = new Random(15);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2 + rnd.nextInt(4));
            double[][] h = Standalone.gramian(j);
            double[] eig = jacobiEigenvalues(h);
            double min = java.util.Arrays.stream(eig).min().orElseThrow();
            double max = java.util.Arrays.stream(eig).max().orElseThrow();
            double[] d = run("aligned-mtl", Map.of(), j).direction();
            double t = j.length;
            assertThat(Mat.dot(d, d))
                    .as("trial %d", trial)
                    .isCloseTo(t * min, within(100 * t * Math.ulp(1.0) * max / min * t * min));
        }
    }

    /** UPGrad: no conflict with any task, ⟨g_i, d⟩ ≥ −(regulariser slack), at every scale. */
    @Test
    void upgradDoesNotConflictAtEveryScale() {
        Random rnd = new Random(16);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2 + rnd.nextInt(5));
            Standalone.Result r = run("upgrad", Map.of("reg_eps", 1e-12), j);
            double trace = 0;
            for (double[] g : j) {
                trace += Mat.dot(g, g);
            }
            for (int i = 0; i < j.length; i++) {
                assertThat(Mat.dot(j[i], r.direction()))
                        .as("trial %d task %d", trial, i)
                        .isGreaterThanOrEqualTo(-1e-12 * trace * Math.abs(r.weights()[i]) - 1e-9 * trace);
            }
        }
    }

    /** Nash-MTL (unclipped): α_i(Hα)_i = 1 for every task, when a solution exists. */
    @Test
    void nashSolvesItsSystemAtEveryScale() {
        Random rnd = new Random(17);
        int solved = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] j = rows(rnd, 2 + rnd.nextInt(4));
            Standalone.Result r = run("nash-mtl", Map.of("max_norm", 0), j);
            if (r.extras().containsKey("pareto_stationary")) {
                continue;
            }
            solved++;
            for (int i = 0; i < j.length; i++) {
                assertThat(r.weights()[i] * Mat.dot(j[i], r.direction()))
                        .as("trial %d task %d", trial, i)
                        .isCloseTo(1, within(1e-8));
            }
        }
        assertThat(solved).isGreaterThan(TRIALS / 2);
    }

    /** Eigenvalues by cyclic Jacobi rotations (an algorithm independent of ojAlgo's). */
    static double[] jacobiEigenvalues(double[][] h) {
        int n = h.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = h[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i][i];
        }
        return out;
    }
}
