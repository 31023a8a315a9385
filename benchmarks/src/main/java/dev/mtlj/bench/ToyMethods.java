package dev.mtlj.bench;

import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.balance.GramianInput;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.balance.LossInput;
import dev.mtlj.balance.LossWeighting;
import dev.mtlj.balance.RowAggregator;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Workload (g) of {@code benchmarks/run}: the two-task analytic toy of CAGrad (B. Liu, X. Liu, X. Jin, P. Stone,
 * Q. Liu, "Conflict-Averse Gradient Descent for Multi-task Learning", NeurIPS 2021), reused by Nash-MTL and FAMO:
 * x ∈ R² from (−8.5, 7.5), Adam (lr 1e-3), one balancing method, {@code steps} steps. Each step evaluates both losses
 * with libtorch autograd, takes the 2×2 Jacobian (one {@code torch::autograd::grad} per task), lets the mtlj
 * balancer weigh it (from the Gramian, as the trainer does) and writes d = Jᵀw into x's gradient; EW and FAMO
 * weigh the losses and run one backward. FAMO sees f_i + 21 (positive: its log needs it; the gradients are f's).
 *
 * <p>Usage: {@code ToyMethods METHOD [STEPS]} with METHOD in ew, mgda, pcgrad, cagrad, nashmtl, famo; prints
 * {@code TOY java METHOD STEPS MS_PER_STEP x1 x2 f1 f2} (the timed loop excludes 200 warm-up steps).
 */
public final class ToyMethods {
    static final double LOWER = 0.000005;
    static final List<String> METHODS = List.of("ew", "mgda", "pcgrad", "cagrad", "nashmtl", "famo");

    public static void main(String[] args) {
        if (args.length < 1 || !METHODS.contains(args[0]) || (args.length > 1 && !args[1].matches("[1-9][0-9]*"))) {
            System.err.println("usage: ToyMethods METHOD [STEPS>0]; METHOD: " + String.join(", ", METHODS));
            System.exit(2);
        }
        String method = args[0];
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Engine.configureThreads(1);
        Device cpu = Engine.cpu();
        String registry = method.equals("nashmtl") ? "nash-mtl" : method;
        Balancer balancer = Balancers.create(
                registry, Map.of(), new BalancerContext(List.of("f1", "f2"), List.of(true, true), 1e-3, 42));
        Tensor x = Tensors.vector(new double[] {-8.5, 7.5}, cpu, torch.ScalarType.Float)
                .requires_grad_(true);
        Adam adam = new Adam(new TensorVector(x), new AdamOptions(1e-3));
        long t0 = 0;
        for (int s = -200; s < steps; s++) {
            if (s == 0) {
                t0 = System.nanoTime();
            }
            try (PointerScope scope = new PointerScope()) {
                step(balancer, x, adam, s + 200L);
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double[] xv = Tensors.toDoubles(x.detach());
        double[] f;
        try (PointerScope scope = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            f = Tensors.toDoubles(torch.stack(new TensorVector(toy(x))));
        }
        System.out.printf(
                Locale.ROOT, "TOY java %s %d %.6f %.4f %.4f %.4f %.4f%n", method, steps, ms, xv[0], xv[1], f[0], f[1]);
        System.exit(0);
    }

    private static void step(Balancer balancer, Tensor x, Adam adam, long step) {
        Tensor[] f = toy(x);
        Tensor stacked = torch.stack(new TensorVector(f));
        adam.zero_grad();
        balancer.accept(new Balancer.Visitor<Void>() {
            @Override
            public Void lossWeighting(LossWeighting m) {
                double[] w = m.weigh(new LossInput(step, 0, m.readsLosses() ? shifted(stacked) : null, null, null))
                        .values();
                stacked.mul(Tensors.vector(w, x.device(), torch.ScalarType.Float))
                        .sum()
                        .backward();
                adam.step();
                if (m.signals().contains(LossWeighting.Signal.POST_STEP_LOSSES)) {
                    try (NoGradGuard g = new NoGradGuard()) {
                        m.afterStep(shifted(torch.stack(new TensorVector(toy(x)))));
                    }
                }
                return null;
            }

            @Override
            public Void gramianWeighting(GramianWeighting m) {
                double[][] j = new double[2][];
                for (int i = 0; i < 2; i++) {
                    TensorVector g = torch.grad(
                            new TensorVector(f[i]),
                            new TensorVector(x),
                            new TensorVector(),
                            new BoolOptional(i == 0),
                            false,
                            false);
                    j[i] = Tensors.toDoubles(g.get(0));
                }
                double[][] h = {{dot(j[0], j[0]), dot(j[0], j[1])}, {dot(j[1], j[0]), dot(j[1], j[1])}};
                double[] w = m.weigh(new GramianInput(step, 0, h, m.readsLosses() ? Tensors.toDoubles(stacked) : null))
                        .weights();
                double[] d = {w[0] * j[0][0] + w[1] * j[1][0], w[0] * j[0][1] + w[1] * j[1][1]};
                x.mutable_grad().put(Tensors.vector(d, x.device(), torch.ScalarType.Float));
                adam.step();
                return null;
            }

            @Override
            public Void rowAggregator(RowAggregator m) {
                throw new IllegalArgumentException(
                        "the toy benchmark runs loss and Gramian weightings only, not " + m.name());
            }
        });
    }

    private static double[] shifted(Tensor losses) {
        double[] l = Tensors.toDoubles(losses.detach());
        for (int i = 0; i < l.length; i++) {
            l[i] += 21;
        }
        return l;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1];
    }

    /** The toy's two losses (CAGrad's toy.py, as reused by Nash-MTL and FAMO). */
    static Tensor[] toy(Tensor x) {
        Tensor x1 = x.select(0, 0);
        Tensor x2 = x.select(0, 1);
        Tensor t = x2.neg().tanh();
        Tensor h1 = x1.neg()
                .sub(s(7))
                .mul(s(0.5))
                .sub(t)
                .abs()
                .clamp_min(s(LOWER))
                .log()
                .add(s(6));
        Tensor h2 = x1.neg()
                .add(s(3))
                .mul(s(0.5))
                .add(t)
                .add(s(2))
                .abs()
                .clamp_min(s(LOWER))
                .log()
                .add(s(6));
        Tensor c1 = x2.mul(s(0.5)).tanh().clamp_min(s(0));
        Tensor c2 = x2.mul(s(-0.5)).tanh().clamp_min(s(0));
        Tensor q = x2.neg().sub(s(8)).pow(s(2)).mul(s(0.1));
        Tensor g1 = x1.neg().add(s(7)).pow(s(2)).add(q).div(s(10)).sub(s(20));
        Tensor g2 = x1.neg().sub(s(7)).pow(s(2)).add(q).div(s(10)).sub(s(20));
        return new Tensor[] {h1.mul(c1).add(g1.mul(c2)), h2.mul(c1).add(g2.mul(c2))};
    }

    private static Scalar s(double v) {
        return new Scalar(v);
    }
}
