package dev.mtlj.balance;

/**
 * Adam (D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) for a balancer's own few
 * learned numbers (UW's log-variances, GradNorm's weights, FAMO's logits), on the heap. Weight decay is the
 * L2 form (γξ added to the gradient), as PyTorch's Adam does it. State: m, v, t (checkpointed by the owner).
 */
final class ParameterAdam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double[] m;
    private double[] v;
    private long t;

    ParameterAdam(int n, double lr, double weightDecay) {
        this(n, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    ParameterAdam(int n, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[n];
        this.v = new double[n];
    }

    /** One step on {@code x} in place with gradient {@code g}. */
    void step(double[] x, double[] g) {
        t++;
        double c1 = 1 - Math.pow(beta1, (double) t);
        double c2 = 1 - Math.pow(beta2, (double) t);
        for (int i = 0; i < x.length; i++) {
            double gi = g[i] + weightDecay * x[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            x[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }

    void save(java.util.Map<String, double[]> into, String prefix) {
        into.put(prefix + ".m", m.clone());
        into.put(prefix + ".v", v.clone());
        into.put(prefix + ".t", new double[] {t});
    }

    void restore(java.util.Map<String, double[]> from, String prefix) {
        if (from.containsKey(prefix + ".t")) {
            m = from.get(prefix + ".m").clone();
            v = from.get(prefix + ".v").clone();
            t = (long) from.get(prefix + ".t")[0];
        }
    }
}
