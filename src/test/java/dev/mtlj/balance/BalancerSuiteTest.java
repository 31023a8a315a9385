package dev.mtlj.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered balancer, through {@link Standalone} (the path {@code mtlj aggregate} takes), against the
 * behaviour its javadoc documents. The methods come from the registry; each needs an entry in {@link #CONTRACTS}, so a
 * new method fails {@link #everyRegisteredMethodHasAContract} until its author states its expected values and its
 * scaling law (the pattern of torchjd's {@code tests/unit/aggregation}: properties written once, each method
 * declaring which hold for it).
 */
class BalancerSuiteTest {
    /**
     * What a method promises.
     *
     * @param onC      canonical weights on the shared input C: rows g1 = (3, 0), g2 = (0, 1), losses (2, 0.5) — derived by
     *                 hand below; null where the weights are random (then only their documented sum is checked)
     * @param single   canonical weight for one task, g = (3, 4), loss 2 (hand-derived)
     * @param exponent weights(c·x) = c^exponent · weights(x) when the Jacobian (Gramian and row kinds) or the losses
     *                 (loss weightings) are scaled by c; loss weightings read the Jacobian only as GradNorm's norms
     * @param minScale the smallest c for which the law holds to 1e-6 (below it a method's ε terms, e.g. 1e-8 added to
     *                 losses, dominate; only finiteness is checked there)
     * @param equivariant whether permuting the tasks permutes the weights (false for methods that draw random task
     *                 orders or weights, whose draws follow the task index, and for fixed weights, which follow names)
     */
    record Contract(double[] onC, double single, double exponent, double minScale, boolean equivariant) {}

    private static final double[][] C = {{3, 0}, {0, 1}};
    private static final double[] LC = {2, 0.5};
    private static final double E = 1e-8;
    private static final Map<String, Contract> CONTRACTS = Map.ofEntries(
            // loss weightings; C's losses (2, 0.5)
            Map.entry("ew", law(w(1, 1), 1, 0)), // w = 1
            // the given weights (2, 0.5), see params(); they belong to task names, so there is nothing to permute
            Map.entry("fixed", new Contract(w(2, 0.5), 2, 0, 1e-15, false)),
            Map.entry("uw", law(w(0.5, 0.5), 0.5, 0)), // κ e^{-s}, κ = ½, s = 0
            Map.entry("dwa", law(w(1, 1), 1, 0)), // ones before two epochs
            Map.entry("rlw", new Contract(null, 1, 0, 1e-15, false)), // T·softmax(z), z ~ N(0, I) by task index
            Map.entry("gls", law(w(0.25, 1), 1, 0)), // (ΠL)^{1/T}/(T L_i) = 1/(2·2), 1/(2·0.5); T = 1: L/L
            Map.entry("imtl-l", law(w(1, 1), 1, 0)), // e^s, s = 0
            Map.entry("gradnorm", law(w(1, 1), 1, 0)), // the first step uses w = 1
            // z = ½, D = L + ε, c = 1/Σ z_j/D_j, canonical T·c·z_i/D_i; T = 1: 1
            Map.entry(
                    "famo",
                    new Contract(w(2 * famoC() * 0.5 / (2 + E), 2 * famoC() * 0.5 / (0.5 + E)), 1, 0, 0.1, true)),
            Map.entry("stch", new Contract(w(1 / 2.0, 1 / 0.5), 0.5, -1, 1e-9, true)), // epoch 0 ≤ W: 1/(L + 1e-20)
            // Gramian weightings; C has H = diag(9, 1): no conflict
            // orthogonal rows: φ = 0 is not below φ̂ = 0, rows unchanged; random orders like PCGrad
            Map.entry("gradvac", new Contract(w(1, 1), 1, 0, 1e-15, false)),
            // min αᵀHα on the simplex: 9α1 = α2 → α = (0.1, 0.9), canonical 2α
            Map.entry("mgda", law(w(0.2, 1.8), 1, 0)),
            Map.entry("mgda-ub", law(w(0.2, 1.8), 1, 0)),
            Map.entry("pcgrad", new Contract(w(1, 1), 1, 0, 1e-15, false)), // no conflict: nothing projected
            // λ = ρ/‖g_w*‖ = c‖ḡ‖/‖g_w*‖ with w* = (0, 1) here; d = ḡ + λ g_w*: canonical (1, 1 + √2.5); T = 1: 1 + c
            Map.entry("cagrad", law(w(1, 1 + Math.sqrt(2.5)), 1.5, 0)),
            // α ∝ H⁻¹n = (3/9, 1) → (¼, ¾), canonical 2α
            Map.entry("imtl-g", law(w(0.5, 1.5), 1, 0)),
            Map.entry("imtl-g-ub", law(w(0.5, 1.5), 1, 0)),
            // α_i(Hα)_i = 1 → α = (1/3, 1), ‖d‖ = √2 clipped to 1; T = 1: α = 1/‖g‖ = 0.2, ‖d‖ = 1
            Map.entry("nash-mtl", law(w(1 / (3 * Math.sqrt(2)), 1 / Math.sqrt(2)), 0.2, -1)),
            Map.entry("fairgrad", law(w(1 / 3.0, 1), 0.2, -1)), // Hw = 1/w, unclipped
            // σ² = λ_min = 1, B = σ V Λ^{-1/2} Vᵀ = diag(1/3, 1), α = B1
            Map.entry("aligned-mtl", law(w(1 / 3.0, 1), 1, 0)),
            Map.entry("aligned-mtl-ub", law(w(1 / 3.0, 1), 1, 0)),
            Map.entry("upgrad", law(w(1, 1), 1, 0)), // no conflict: every projection is its row, mean → canonical ones
            Map.entry("dualproj", law(w(1, 1), 1, 0)),
            // unit rows orthonormal: u = (1, 1)/√2, d = (Σ⟨g_i, u⟩)u = (4/√2)(1, 1)/√2 = (2, 2) → w = (2/3, 2)
            Map.entry("config", law(w(2 / 3.0, 2), 1, 0)),
            // row aggregators
            Map.entry("graddrop", law(w(1, 1), 1, 0)), // purity 1 in both columns: every entry kept, d = g1 + g2
            // q = g/(L + ε), b = 0.1q, a_i = max‖b‖/(‖b_i‖ + ε), d = Σ a_i b_i = (a1‖b1‖, a2‖b2‖); T = 1: 0.1a/(2 + ε)
            Map.entry(
                    "db-mtl",
                    new Contract(dbMtlOnC(), 0.1 * (0.5 / (2 + E)) / (0.5 / (2 + E) + E) / (2 + E), 0, 1e3, true)),
            Map.entry(
                    "moco",
                    new Contract(mocoOnC(), 2 / (5 + E) / 2 * 2 / 2, -1, 1, true)), // see mocoOnC(); T = 1: 1/(5 + ε)
            Map.entry("excess-mtl", law(w(1, 1), 1, 0))); // the first step stores e⁰ and keeps q = 1

    private static Contract law(double[] onC, double single, double exponent) {
        return new Contract(onC, single, exponent, 1e-15, true);
    }

    private static double[] w(double... v) {
        return v;
    }

    private static double famoC() {
        return 1 / (0.5 / (2 + E) + 0.5 / (0.5 + E));
    }

    private static double[] dbMtlOnC() {
        double b1 = 0.1 * 3 / (2 + E);
        double b2 = 0.1 * 1 / (0.5 + E);
        double max = Math.max(b1, b2);
        return w(max / (b1 + E) * b1 / 3, max / (b2 + E) * b2);
    }

    /** MoCo, t = 1: ĝ_i = L_i g_i/(‖g_i‖ + ε), y = ½ĝ, z = λ₀ − 0.1·diag(‖y‖²)λ₀, λ = softmax(z), d = T·Yᵀλ. */
    private static double[] mocoOnC() {
        double y1 = 0.5 * 2 * 3 / (3 + E);
        double y2 = 0.5 * 0.5 * 1 / (1 + E);
        double z1 = 0.5 - 0.1 * y1 * y1 * 0.5;
        double z2 = 0.5 - 0.1 * y2 * y2 * 0.5;
        double l1 = 1 / (1 + Math.exp(z2 - z1));
        return w(2 * l1 * y1 / 3, 2 * (1 - l1) * y2);
    }

    static Stream<String> methods() {
        return Balancers.names().stream();
    }

    static Stream<String> equivariantMethods() {
        return methods().filter(m -> CONTRACTS.get(m).equivariant());
    }

    private static Map<String, Object> params(String method, int tasks) {
        if (!method.equals("fixed")) {
            return Map.of();
        }
        Map<String, Object> weights = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= tasks; i++) {
            weights.put("t" + i, i == 1 ? 2.0 : i == 2 ? 0.5 : 1.0 + i);
        }
        return Map.of("weights", weights);
    }

    /** One step of a fresh instance of {@code method} (seed 7) on rows and losses. */
    static Standalone.Result run(String method, double[][] rows, double[] losses) {
        try (Balancer b = Balancers.create(method, params(method, rows.length), BalancerContext.of(rows.length, 7))) {
            return Standalone.apply(b, rows, losses, null, false, 7);
        }
    }

    @Test
    void everyRegisteredMethodHasAContract() {
        assertThat(CONTRACTS.keySet()).containsExactlyInAnyOrderElementsOf(Balancers.names());
    }

    /** The table of hand-derived values (see {@link #CONTRACTS}) on C, and for a single task. */
    @ParameterizedTest
    @MethodSource("methods")
    void handDerivedValues(String method) {
        Contract c = CONTRACTS.get(method);
        Standalone.Result r = run(method, C, LC);
        if (c.onC() == null) { // random weights: T·softmax sums to T and is positive
            assertThat(r.weights()[0] + r.weights()[1]).isCloseTo(2, within(1e-12));
            assertThat(java.util.Arrays.stream(r.weights()).boxed()).allMatch(x -> x > 0);
        } else {
            close(method, r.weights(), c.onC(), 1e-12);
        }
        close(
                method,
                run(method, new double[][] {{3, 4}}, new double[] {2}).weights(),
                new double[] {c.single()},
                1e-12);
    }

    /** Permuting the tasks (rows, losses) permutes the weights. */
    @ParameterizedTest
    @MethodSource("equivariantMethods")
    void permutingTasksPermutesWeights(String method) {
        Random rnd = new Random(method.hashCode());
        for (int trial = 0; trial < 25; trial++) {
            double[][] rows = randomRows(rnd, 2 + rnd.nextInt(4), 2 + rnd.nextInt(6));
            double[] losses = randomLosses(rnd, rows.length);
            int[] perm = permutation(rnd, rows.length);
            double[][] pRows = new double[rows.length][];
            double[] pLosses = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                pRows[i] = rows[perm[i]];
                pLosses[i] = losses[perm[i]];
            }
            double[] w = run(method, rows, losses).weights();
            double[] pw = run(method, pRows, pLosses).weights();
            double[] expected = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                expected[i] = w[perm[i]];
            }
            close(method + " trial " + trial, pw, expected, 1e-8);
        }
    }

    /**
     * The documented scaling law: weights(c·x) = c^k·weights(x) for c from 1e-15 to 1e15 (the Jacobian for Gramian and
     * row methods, the losses for loss weightings), where the method's ε terms allow; and finite weights, directions
     * and diagnostics at every scale.
     */
    @ParameterizedTest
    @MethodSource("methods")
    void scalingLawFrom1eMinus15To1e15(String method) {
        Contract c = CONTRACTS.get(method);
        Random rnd = new Random(method.hashCode() + 1);
        boolean lossKind = isLossWeighting(method);
        double[] scales = {1e-15, 1e-9, 1e-5, 1e-1, 1, 1e3, 1e5, 1e9, 1e15};
        for (int trial = 0; trial < 10; trial++) {
            double[][] rows = randomRows(rnd, 2 + rnd.nextInt(3), 3 + rnd.nextInt(4));
            double[] losses = randomLosses(rnd, rows.length);
            double ref = Math.max(1, c.minScale());
            double[] base = scaled(method, rows, losses, ref, lossKind).weights();
            for (double s : scales) {
                Standalone.Result r = scaled(method, rows, losses, s, lossKind);
                finite(method + " at scale " + s, r);
                if (s >= c.minScale()) {
                    double k = Math.pow(s / ref, c.exponent());
                    for (int i = 0; i < base.length; i++) {
                        assertThat(r.weights()[i])
                                .as("%s trial %d scale %g weight %d", method, trial, s, i)
                                .isCloseTo(k * base[i], within(1e-6 * Math.abs(k * base[i]) + 1e-300));
                    }
                }
            }
        }
    }

    private static Standalone.Result scaled(
            String method, double[][] rows, double[] losses, double s, boolean lossKind) {
        if (lossKind) {
            return run(method, rows, Mat.scale(losses, s));
        }
        double[][] r = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            r[i] = Mat.scale(rows[i], s);
        }
        return run(method, r, losses);
    }

    /** Degenerate Jacobians give a finite, defined answer: zero rows, all-zero, duplicates, colinear, T > P, opposed. */
    @ParameterizedTest
    @MethodSource("methods")
    void degenerateJacobiansGiveFiniteAnswers(String method) {
        double[][][] cases = {
            {{1, 2}, {0, 0}}, // a zero row (the nash-mtl / fairgrad case)
            {{0, 0}, {0, 0}}, // all zero
            {{0, 0, 0}, {1, -1, 2}, {0, 0, 0}},
            {{1, 2}, {1, 2}}, // identical
            {{1, 2}, {2, 4}, {-0.5, -1}}, // colinear, some opposed
            {{1, 2}, {-1, -2}}, // 0 in the hull: Pareto-stationary
            {{1, 0}, {0, 1}, {-1, -1}, {2, 1}, {0.5, -3}}, // T > P
        };
        for (double[][] rows : cases) {
            double[] losses = new double[rows.length];
            java.util.Arrays.fill(losses, 1.5);
            finite(method + " on " + java.util.Arrays.deepToString(rows), run(method, rows, losses));
        }
    }

    /** A balancer's scale declaration is what converts to the native weights the aggregate CLI prints. */
    @ParameterizedTest
    @MethodSource("methods")
    void nativeScaleIsCanonicalOverKappa(String method) {
        try (Balancer b = Balancers.create(method, params(method, 2), BalancerContext.of(2, 7));
                Balancer b2 = Balancers.create(method, params(method, 2), BalancerContext.of(2, 7))) {
            double[] canonical = Standalone.apply(b, C, LC, null, false, 7).weights();
            double[] nativ = Standalone.apply(b2, C, LC, null, true, 7).weights();
            double kappa = b.nativeScale().kappa(2);
            for (int i = 0; i < 2; i++) {
                assertThat(nativ[i] * kappa).as(method).isCloseTo(canonical[i], within(1e-12 * Math.abs(canonical[i])));
            }
        }
    }

    /**
     * The scale declarations are tied to behaviour: the methods declaring a mean-like paper scale (κ = T) are exactly
     * those whose native weights sum to 1 on C (no conflict) — except CAGrad, whose native sum is 1 + λ·Σw* (on C:
     * w* = (0, 1), λ = √2.5/2), and MoCo, whose logged weights are least-squares effective weights of
     * its tracked gradients (its native λ lies on the simplex, but is not what d = Jᵀw recovers).
     */
    @Test
    void meanScaledMethodsSumToOneOnTheirPaperScale() {
        List<String> sumToOne = List.of("rlw", "famo", "mgda", "mgda-ub", "imtl-g", "imtl-g-ub", "upgrad", "dualproj");
        List<String> mean = new ArrayList<>();
        for (String method : Balancers.names()) {
            try (Balancer b = Balancers.create(method, params(method, 2), BalancerContext.of(2, 7))) {
                if (b.nativeScale() == NativeScale.MEAN) {
                    mean.add(method);
                }
            }
        }
        assertThat(mean)
                .containsExactlyInAnyOrderElementsOf(Stream.concat(sumToOne.stream(), Stream.of("cagrad", "moco"))
                        .toList());
        for (String method : sumToOne) {
            try (Balancer b = Balancers.create(method, Map.of(), BalancerContext.of(2, 7))) {
                double[] nativ = Standalone.apply(b, C, LC, null, true, 7).weights();
                assertThat(nativ[0] + nativ[1]).as(method).isCloseTo(1, within(1e-7));
            }
        }
        try (Balancer b = Balancers.create("cagrad", Map.of(), BalancerContext.of(2, 7))) {
            double[] nativ = Standalone.apply(b, C, LC, null, true, 7).weights(); // (1, 1 + √2.5)/2: Σ = 1 + √2.5/2
            assertThat(nativ[0] + nativ[1]).isCloseTo(1 + Math.sqrt(2.5) / 2, within(1e-9));
        }
    }

    private static boolean isLossWeighting(String method) {
        try (Balancer b = Balancers.create(method, params(method, 2), BalancerContext.of(2, 0))) {
            return b.accept(new Balancer.Visitor<Boolean>() {
                @Override
                public Boolean lossWeighting(LossWeighting m) {
                    return true;
                }

                @Override
                public Boolean gramianWeighting(GramianWeighting m) {
                    return false;
                }

                @Override
                public Boolean rowAggregator(RowAggregator m) {
                    return false;
                }
            });
        }
    }

    private static void finite(String what, Standalone.Result r) {
        assertThat(java.util.Arrays.stream(r.weights()).boxed())
                .as(what + " weights")
                .allMatch(Double::isFinite);
        assertThat(java.util.Arrays.stream(r.direction()).boxed())
                .as(what + " direction")
                .allMatch(Double::isFinite);
        r.extras().forEach((k, v) -> {
            if (v instanceof Number n) {
                assertThat(n.doubleValue()).as(what + " " + k).isFinite();
            } else if (v instanceof double[] a) {
                assertThat(java.util.Arrays.stream(a).boxed())
                        .as(what + " " + k)
                        .allMatch(Double::isFinite);
            }
        });
    }

    static double[][] randomRows(Random rnd, int t, int p) {
        double[][] rows = new double[t][p];
        for (double[] row : rows) {
            for (int k = 0; k < p; k++) {
                row[k] = rnd.nextGaussian();
            }
        }
        return rows;
    }

    private static double[] randomLosses(Random rnd, int t) {
        double[] l = new double[t];
        for (int i = 0; i < t; i++) {
            l[i] = 0.2 + 2.8 * rnd.nextDouble();
        }
        return l;
    }

    private static int[] permutation(Random rnd, int n) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(i);
        }
        java.util.Collections.shuffle(p, rnd);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void close(String what, double[] actual, double[] expected, double relTol) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("%s element %d of %s", what, i, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[i], within(relTol * Math.max(1, Math.abs(expected[i]))));
        }
    }
}
