package dev.mtlj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.random.Rng;
import org.junit.jupiter.api.Test;

class MmoeSyntheticTest {
    private static double pearson(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / (double) a.length;
            mb += b[i] / (double) b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** The promise: cos(w1, w2) = p exactly, with unit-norm weights, for each setting of the benchmark. */
    @Test
    void weightVectorsHaveTheRequestedCosine() {
        for (double p : new double[] {1.0, 0.5, 0.0, -0.3}) {
            MmoeSynthetic.Weights w = MmoeSynthetic.weights(100, p, new Rng(7));
            assertThat(Vectors.dot(w.w1(), w.w1())).isCloseTo(1, within(1e-12));
            assertThat(Vectors.dot(w.w2(), w.w2())).isCloseTo(1, within(1e-12));
            assertThat(Vectors.dot(w.w1(), w.w2())).isCloseTo(p, within(1e-12));
        }
    }

    /**
     * On data: the linear parts w_kᵀx have Pearson correlation p up to sampling error (n = 20,000: standard error
     * ≤ (1 − p²)/√n ≈ 0.007, so 0.03 is over 4 standard errors); the labels are identical up to noise at p = 1 and their
     * correlation falls with p.
     */
    @Test
    void labelsCarryTheRequestedCorrelation() {
        double previous = 2;
        for (double p : new double[] {1.0, 0.5, 0.0}) {
            Rng rng = new Rng(11);
            MmoeSynthetic.Weights w = MmoeSynthetic.weights(100, p, rng);
            int n = 20_000;
            float[] l1 = new float[n];
            float[] l2 = new float[n];
            double[] row = new double[100];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < 100; i++) {
                    row[i] = rng.nextGaussian();
                }
                l1[e] = (float) Vectors.dot(w.w1(), row);
                l2[e] = (float) Vectors.dot(w.w2(), row);
            }
            assertThat(pearson(l1, l2)).as("linear parts, p = %s", p).isCloseTo(p, within(0.03));
            DataSplits d = MmoeSynthetic.generate(100, p, n, 10, 10, 11);
            double labels = pearson(
                    d.train().labels().get("y1").values(),
                    d.train().labels().get("y2").values());
            if (p == 1.0) {
                assertThat(labels).isGreaterThan(0.9999);
            }
            assertThat(labels).as("label correlation falls with p").isLessThan(previous);
            previous = labels;
        }
    }
}
