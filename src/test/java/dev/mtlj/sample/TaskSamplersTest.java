package dev.mtlj.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSamplersTest {
    private static final List<String> TASKS = List.of("a", "b", "c");
    private static final long[] N = {5000, 500, 50};
    /** χ² critical value for 2 degrees of freedom at α = 0.001 (−2 ln 0.001 = 13.8155). */
    private static final double CHI2_2DF_0001 = 13.8155;

    private static void close(double[] actual, double tol, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("element %d of %s", i, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[i], within(tol));
        }
    }

    private static TaskSampler create(String type, Map<String, Object> params) {
        return TaskSamplers.create(type, params, TASKS, N, 17);
    }

    /** docs/methods.md#task-samplers examples, n = (5000, 500, 50). */
    @Test
    void distributionsMatchTheFormulas() {
        close(create("proportional", Map.of()).probabilities(0), 1e-6, 0.900901, 0.090090, 0.009009);
        close(create("temperature", Map.of("temperature", 2)).probabilities(0), 1e-6, 0.706101, 0.223289, 0.070610);
        close(create("temperature", Map.of("temperature", 5)).probabilities(0), 1e-6, 0.492838, 0.310960, 0.196202);
        close(create("temperature", Map.of("temperature", "inf")).probabilities(0), 1e-12, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        close(create("uniform", Map.of()).probabilities(0), 1e-12, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        close(
                create("fixed", Map.of("probabilities", Map.of("a", 0.5, "b", 0.3, "c", 0.2)))
                        .probabilities(0),
                1e-12,
                0.5,
                0.3,
                0.2);
    }

    /** Annealed, E = 5, 100 steps per epoch: epoch e's distribution is n^α(e) with α = 1, 0.8, 0.6, 0.4, 0.2. */
    @Test
    void annealedFollowsItsSchedule() {
        TaskSampler s = create("annealed", Map.of("epochs", 5, "steps_per_epoch", 100));
        close(s.probabilities(0), 1e-6, 0.900901, 0.090090, 0.009009);
        close(s.probabilities(99), 1e-6, 0.900901, 0.090090, 0.009009);
        close(s.probabilities(100), 1e-6, 0.844874, 0.133904, 0.021222);
        close(s.probabilities(250), 1e-6, 0.760870, 0.191122, 0.048008);
        close(s.probabilities(399), 1e-6, 0.642427, 0.255755, 0.101818);
        close(s.probabilities(400), 1e-6, 0.492838, 0.310960, 0.196202);
        close(s.probabilities(10_000), 1e-6, 0.492838, 0.310960, 0.196202); // stays at α = 0.2 after epoch E
    }

    /** 20,000 draws: realised counts pass a χ² goodness-of-fit test against the target (2 df, α = 0.001). */
    @Test
    void realisedFrequenciesMatchTheTargets() {
        for (TaskSampler s : new TaskSampler[] {
            create("uniform", Map.of()),
            create("proportional", Map.of()),
            create("temperature", Map.of("temperature", 2)),
            create("fixed", Map.of("probabilities", Map.of("a", 0.2, "b", 0.3, "c", 0.5))),
            create("annealed", Map.of("epochs", 3, "steps_per_epoch", 1_000_000))
        }) {
            int draws = 20_000;
            long[] counts = new long[3];
            for (long step = 0; step < draws; step++) {
                counts[s.next(step)]++;
            }
            double[] p = s.probabilities(0);
            double chi2 = 0;
            for (int i = 0; i < 3; i++) {
                double expected = draws * p[i];
                chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
            assertThat(chi2)
                    .as(
                            "%s counts %s vs p %s",
                            s.name(), java.util.Arrays.toString(counts), java.util.Arrays.toString(p))
                    .isLessThan(CHI2_2DF_0001);
        }
    }

    @Test
    void roundRobinIsExactAndFollowsTheOrder() {
        TaskSampler s = create("round-robin", Map.of("order", List.of("c", "a", "b")));
        long[] counts = new long[3];
        for (long step = 0; step < 20_000; step++) {
            counts[s.next(step)]++;
        }
        // 20,000 = 3·6666 + 2: the first two of the order (c, a) get one more; counts are in task order a, b, c
        assertThat(counts).containsExactly(6667, 6666, 6667);
        assertThat(List.of(s.next(0), s.next(1), s.next(2), s.next(3))).containsExactly(2, 0, 1, 2);
    }

    /** Same seed, same draws; another seed, other draws. */
    @Test
    void drawsAreDeterministicInSeedAndStep() {
        TaskSampler a = create("temperature", Map.of("temperature", 2));
        TaskSampler b = TaskSamplers.create("temperature", Map.of("temperature", 2), TASKS, N, 17);
        TaskSampler c = TaskSamplers.create("temperature", Map.of("temperature", 2), TASKS, N, 18);
        int same = 0;
        int differ = 0;
        for (long step = 0; step < 1000; step++) {
            same += a.next(step) == b.next(step) ? 1 : 0;
            differ += a.next(step) != c.next(step) ? 1 : 0;
        }
        assertThat(same).isEqualTo(1000);
        assertThat(differ).isPositive();
    }

    /**
     * Loss rule (docs/methods.md#task-samplers): L̄(start) = (2, 1, 0.5), L̄(now) = (0.5, 0.8, 0.45) → r = (0.25, 0.8, 0.9);
     * τ = 1: (0.215110, 0.372839, 0.412051); τ = 0.5: (0.130319, 0.391501, 0.478180). Window K = 1, no floor.
     */
    @Test
    void dynamicLossRule() {
        for (double[] c : new double[][] {{1, 0.215110, 0.372839, 0.412051}, {0.5, 0.130319, 0.391501, 0.478180}}) {
            DynamicSampler s = new DynamicSampler(3, false, c[0], 0, 1, 1, null, 1);
            double[] start = {2, 1, 0.5};
            double[] now = {0.5, 0.8, 0.45};
            for (int i = 0; i < 3; i++) {
                s.observeLoss(i, i, start[i]);
                s.observeLoss(3 + i, i, now[i]);
            }
            close(s.probabilities(10), 1e-6, c[1], c[2], c[3]);
        }
    }

    /** Gap rule: s_ref = (0.9, 0.8), s_cur = (0.85, 0.6) → (0.181818, 0.818182); floor 0.05 → (0.197727, 0.802273). */
    @Test
    void dynamicGapRule() {
        TaskSampler s = TaskSamplers.create(
                "dynamic-gap",
                Map.of("reference", Map.of("x", 0.9, "y", 0.8), "every", 1),
                List.of("x", "y"),
                new long[] {10, 10},
                3);
        close(s.probabilities(0), 1e-12, 0.5, 0.5); // no evaluation yet
        s.observeScores(new double[] {0.85, 0.6});
        close(s.probabilities(1), 1e-6, 0.197727, 0.802273);
    }

    /** The loss rule moves probability toward the task whose loss stays high while the others fall. */
    @Test
    void dynamicSamplerFavoursTheSlowTask() {
        TaskSampler s = create("dynamic", Map.of("window", 20, "every", 50));
        for (long step = 0; step < 2000; step++) {
            int task = s.next(step);
            double decay = Math.exp(-step / 400.0);
            s.observeLoss(step, task, task == 1 ? 1.0 : decay);
        }
        double[] p = s.probabilities(2000);
        assertThat(p[1]).as(java.util.Arrays.toString(p)).isGreaterThan(p[0]).isGreaterThan(0.5);
        assertThat(p[1]).isGreaterThan(p[2]);
        assertThat(Math.min(p[0], p[2])).isGreaterThanOrEqualTo(0.05 / 3 - 1e-12); // the floor
    }

    @Test
    void dynamicStateRestoresExactly() {
        TaskSampler a = create("dynamic", Map.of("window", 5, "every", 10));
        for (long step = 0; step < 300; step++) {
            a.observeLoss(step, a.next(step), 1.0 / (1 + step % 7));
        }
        TaskSampler b = create("dynamic", Map.of("window", 5, "every", 10));
        b.restore(a.state());
        for (long step = 300; step < 400; step++) {
            assertThat(b.next(step)).isEqualTo(a.next(step));
            a.observeLoss(step, a.next(step), 0.3);
            b.observeLoss(step, b.next(step), 0.3);
        }
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> create("temprature", Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(
                        "sampler.type 'temprature' is not known; did you mean 'temperature'?; allowed: annealed, dynamic");
        assertThatThrownBy(() -> create("temperature", Map.of("temperature", 0)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sampler.temperature must be > 0");
        assertThatThrownBy(() -> create("temperature", Map.of("temperature", -2)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("got '-2'");
        assertThatThrownBy(() -> create("fixed", Map.of("probabilities", Map.of("a", 0.5, "b", 0.3, "c", 0.3))))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sum to 1.1");
        assertThatThrownBy(() -> create("fixed", Map.of("probabilities", Map.of("a", 1.2, "b", -0.2, "c", 0.0))))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sampler.probabilities.b is negative");
        assertThatThrownBy(() -> TaskSamplers.create("uniform", Map.of(), TASKS, new long[] {10, 0, 5}, 1))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("task 'b' has an empty training set");
        assertThatThrownBy(() -> create("round-robin", Map.of("order", List.of("a", "zz"))))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sampler.order names 'zz'");
        assertThatThrownBy(() -> create("annealed", Map.of("epochs", 3)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sampler.steps_per_epoch is required");
        assertThatThrownBy(() -> create("uniform", Map.of("temperature", 2)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("sampler.temperature is not a parameter of 'uniform'");
    }
}
