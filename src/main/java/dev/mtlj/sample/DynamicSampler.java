package dev.mtlj.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic sampling from training signals, recomputed every {@code every} steps and mixed with a floor
 * (1 − ε)p + ε/T so no task starves (ε = 0.05).
 *
 * <ul>
 *   <li>{@code loss} (our adaptation, labelled as such in docs/methods.md#task-samplers, for when no reference scores exist):
 *       p = softmax(r/τ) with r_i = L̄_i(now)/L̄_i(start), L̄ the mean of a task's last K observed losses and
 *       "start" its first K — GradNorm's loss ratio: tasks whose loss falls slowly are drawn more.</li>
 *   <li>{@code gap}: A. Gottumukkala, D. Dua, S. Singh, M. Gardner, "Dynamic Sampling Strategies for Multi-Task
 *       Reading Comprehension", ACL 2020: m_i = max(0, (s_i^ref − s_i^cur)/s_i^ref) from validation scores,
 *       p = m/Σm (uniform if all m = 0).</li>
 * </ul>
 * Before enough signal exists (K losses per task, or a first evaluation) p is uniform. State: the loss windows and
 * the current p.
 */
public final class DynamicSampler implements TaskSampler {
    private final boolean gapRule;
    private final double tau;
    private final double eps;
    private final int window;
    private final long every;
    private final double[] reference;
    private final long seed;
    private final List<Deque<Double>> recent = new ArrayList<>();
    private final double[] startSum;
    private final int[] startCount;
    private double[] scores;
    private double[] p;
    private long computedAt = -1;

    /**
     * @param gapRule   performance-gap rule (needs {@code reference}) instead of the loss rule
     * @param tau       softmax temperature of the loss rule
     * @param eps       floor ε
     * @param window    K
     * @param every     recompute period in steps
     * @param reference reference (single-task) scores for the gap rule, or null
     */
    public DynamicSampler(
            int tasks, boolean gapRule, double tau, double eps, int window, long every, double[] reference, long seed) {
        this.gapRule = gapRule;
        this.tau = tau;
        this.eps = eps;
        this.window = window;
        this.every = every;
        this.reference = reference == null ? null : reference.clone();
        this.seed = seed;
        this.startSum = new double[tasks];
        this.startCount = new int[tasks];
        for (int i = 0; i < tasks; i++) {
            recent.add(new ArrayDeque<>());
        }
        this.p = uniform(tasks);
    }

    private static double[] uniform(int t) {
        double[] u = new double[t];
        java.util.Arrays.fill(u, 1.0 / t);
        return u;
    }

    @Override
    public String name() {
        return gapRule ? "dynamic-gap" : "dynamic";
    }

    @Override
    public double[] probabilities(long step) {
        if (step / every != computedAt) {
            computedAt = step / every;
            p = Distributions.floor(gapRule ? gapDistribution() : lossDistribution(), eps);
        }
        return p.clone();
    }

    @Override
    public int next(long step) {
        return Distributions.draw(probabilities(step), seed, step);
    }

    @Override
    public boolean needsLosses() {
        return !gapRule;
    }

    @Override
    public void observeLoss(long step, int task, double loss) {
        if (startCount[task] < window) {
            startSum[task] += loss;
            startCount[task]++;
        }
        Deque<Double> d = recent.get(task);
        d.addLast(loss);
        if (d.size() > window) {
            d.removeFirst();
        }
    }

    @Override
    public void observeScores(double[] current) {
        scores = current.clone();
    }

    double[] lossDistribution() {
        int t = startCount.length;
        double[] r = new double[t];
        for (int i = 0; i < t; i++) {
            if (startCount[i] < window || recent.get(i).size() < window) {
                return uniform(t);
            }
            double now = recent.get(i).stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(0);
            r[i] = now / (startSum[i] / startCount[i]);
        }
        return Distributions.softmax(r, tau);
    }

    double[] gapDistribution() {
        int t = startCount.length;
        if (scores == null) {
            return uniform(t);
        }
        double[] m = new double[t];
        double sum = 0;
        for (int i = 0; i < t; i++) {
            m[i] = Math.max(0, (reference[i] - scores[i]) / reference[i]);
            sum += m[i];
        }
        if (sum == 0) {
            return uniform(t);
        }
        for (int i = 0; i < t; i++) {
            m[i] /= sum;
        }
        return m;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new HashMap<>();
        s.put("start_sum", startSum.clone());
        s.put(
                "start_count",
                java.util.Arrays.stream(startCount).asDoubleStream().toArray());
        for (int i = 0; i < recent.size(); i++) {
            s.put(
                    "recent" + i,
                    recent.get(i).stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (scores != null) {
            s.put("scores", scores.clone());
        }
        return s;
    }

    @Override
    public void restore(Map<String, double[]> s) {
        System.arraycopy(s.get("start_sum"), 0, startSum, 0, startSum.length);
        double[] c = s.get("start_count");
        for (int i = 0; i < c.length; i++) {
            startCount[i] = (int) c[i];
        }
        for (int i = 0; i < recent.size(); i++) {
            recent.get(i).clear();
            for (double v : s.get("recent" + i)) {
                recent.get(i).addLast(v);
            }
        }
        scores = s.containsKey("scores") ? s.get("scores").clone() : null;
        computedAt = -1;
    }
}
