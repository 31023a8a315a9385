package dev.mtlj.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Small example Jacobians whose answers the tests derive by hand — A orthonormal, B nearly opposed, C orthogonal with
 * unequal norms, D colinear, E three tasks with one conflict — and helpers to turn rows into Gramians.
 */
final class Examples {
    static final double[][] A = {{1, 0}, {0, 1}};
    static final double[][] B = {{1, 0}, {-1, 0.1}};
    static final double[][] C = {{3, 0}, {0, 1}};
    static final double[][] D = {{1, 0}, {2, 0}};
    static final double[][] E = {{1, 0, 0}, {0, 1, 0}, {-1, 0, 1}};

    private Examples() {}

    static double[][] gram(double[][] rows) {
        int t = rows.length;
        double[][] h = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                h[i][j] = Mat.dot(rows[i], rows[j]);
            }
        }
        return h;
    }

    /** d = Jᵀw. */
    static double[] direction(double[][] rows, double[] w) {
        double[] d = new double[rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < d.length; k++) {
                d[k] += w[i] * rows[i][k];
            }
        }
        return d;
    }

    static Balance run(GramianWeighting b, double[][] rows, double[] losses) {
        return b.weigh(new GramianInput(0, 0, gram(rows), losses));
    }

    static void close(double[] actual, double tol, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i])
                    .as("element %d of %s", i, java.util.Arrays.toString(actual))
                    .isCloseTo(expected[i], within(tol));
        }
    }
}
