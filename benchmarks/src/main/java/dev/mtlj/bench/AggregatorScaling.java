package dev.mtlj.bench;

import dev.mtlj.balance.Balance;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.balance.GramianInput;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.balance.LossWeighting;
import dev.mtlj.balance.RowAggregator;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One Gramian method from a Jacobian J [T, P] (float32, drawn from libtorch's generator seeded with T·P) to the
 * direction d, as the trainer computes it: H = JJᵀ in float64 on the CPU ({@code Tensors.gramian}), the weights from mtlj's method on the heap,
 * d = Jᵀw. The peer, {@code peers/aggregator_peer.py}, times torchjd's aggregator on the same J. One thread. Prints
 * {@code RESULT java METHOD T P MS} per method: after 0.5 s of warm-up calls, the median of at least 3 calls and
 * at least 1 s of calls (at most 200), or of the calls made in 10 s when they are longer (at least one).
 *
 * <p>Usage: {@code AggregatorScaling T P METHOD[,METHOD...]}.
 */
public final class AggregatorScaling {
    private AggregatorScaling() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: AggregatorScaling T P METHOD[,METHOD...]");
            System.exit(2);
        }
        int t = Integer.parseInt(args[0]);
        long p = Long.parseLong(args[1]);
        Engine.configureThreads(1);
        torch.set_num_threads(1);
        try (PointerScope scope = new PointerScope()) {
            Engine.seed(t * p);
            Tensor j = torch.randn(t, p);
            for (String method : args[2].split(",")) {
                List<Double> ms = new ArrayList<>();
                try (PointerScope check = new PointerScope()) { // untimed, as on the peer's side
                    if (!aggregate(method, j, t).isfinite().all().item_bool()) {
                        System.err.println(method + " gave a non-finite direction at T = " + t);
                    }
                }
                // Warm-up as the peer does it: calls for 0.5 s (at most 200).
                long warm = 0;
                for (int i = 0; i < 200 && warm < 500_000_000L; i++) {
                    warm += timed(method, j, t);
                }
                long spent = 0;
                while (ms.isEmpty()
                        || ms.size() < 3 && spent < 10_000_000_000L
                        || spent < 1_000_000_000L && ms.size() < 200) {
                    long dt = timed(method, j, t);
                    ms.add(dt / 1e6);
                    spent += dt;
                }
                Collections.sort(ms);
                System.out.printf(Locale.ROOT, "RESULT java %s %d %d %.4f%n", method, t, p, ms.get(ms.size() / 2));
            }
        }
    }

    private static long timed(String method, Tensor j, int t) {
        try (PointerScope scope = new PointerScope()) {
            long t0 = System.nanoTime();
            aggregate(method, j, t);
            return System.nanoTime() - t0;
        }
    }

    /** J → d for one method (the caller's scope). */
    private static Tensor aggregate(String method, Tensor j, int t) {
        try (Balancer b = Balancers.create(method, Map.of(), BalancerContext.of(t, 0))) {
            GramianWeighting m = b.accept(new Balancer.Visitor<GramianWeighting>() {
                @Override
                public GramianWeighting lossWeighting(LossWeighting x) {
                    throw new IllegalArgumentException(method + " is not a Gramian method");
                }

                @Override
                public GramianWeighting gramianWeighting(GramianWeighting x) {
                    return x;
                }

                @Override
                public GramianWeighting rowAggregator(RowAggregator x) {
                    throw new IllegalArgumentException(method + " is not a Gramian method");
                }
            });
            double[] flat = Tensors.toDoubles(Tensors.gramian(j));
            double[][] h = new double[t][t];
            for (int a = 0; a < t; a++) {
                for (int c = 0; c < t; c++) {
                    h[a][c] = 0.5 * (flat[a * t + c] + flat[c * t + a]);
                }
            }
            Balance w = m.weigh(new GramianInput(0, 0, h, null, GramianInput.FLOAT32_EPSILON));
            return Tensors.vector(w.weights(), Engine.cpu(), torch.ScalarType.Float)
                    .matmul(j);
        }
    }
}
