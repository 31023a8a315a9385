package dev.mtlj.sample;

import dev.mtlj.UserInputException;
import dev.mtlj.random.Rng;

/** Shared pieces: size-based distributions, softmax, a draw from a distribution. */
final class Distributions {
    private Distributions() {}

    /** p_i ∝ n_i^α (α = 1/τ; α = 0 is uniform). */
    static double[] power(long[] sizes, double alpha) {
        double[] p = new double[sizes.length];
        double max = 0;
        for (long n : sizes) {
            max = Math.max(max, (double) n);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.pow(sizes[i] / max, alpha); // scaled by max for range safety; cancels in the normalisation
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] softmax(double[] z, double tau) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / tau);
        }
        double[] p = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / tau - max);
            s += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    /** (1 − ε)p + ε/T. */
    static double[] floor(double[] p, double eps) {
        double[] q = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            q[i] = (1 - eps) * p[i] + eps / p.length;
        }
        return q;
    }

    /** One draw from p with the generator of (seed, step). */
    static int draw(double[] p, long seed, long step) {
        double u = Rng.derived(seed ^ 0x53414d50L, step).nextDouble();
        double c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i];
            if (u < c) {
                return i;
            }
        }
        return p.length - 1;
    }

    static void checkSizes(java.util.List<String> tasks, long[] sizes) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] <= 0) {
                throw new UserInputException("task '" + tasks.get(i) + "' has an empty training set (" + sizes[i]
                        + " labelled examples); every sampled task needs at least one");
            }
        }
    }
}
