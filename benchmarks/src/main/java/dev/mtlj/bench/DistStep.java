package dev.mtlj.bench;

import dev.mtlj.dist.Collective;
import dev.mtlj.dist.CommBackend;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.dist.WorldInfo;
import dev.mtlj.engine.Engine;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;

/**
 * The Java side of {@code benchmarks/dist/scaling}: a workload of {@link PeerStep} as one rank of a data-parallel run
 * started by a launcher (the rank from the environment, as torchrun sets it; alone without one). The global batch is
 * the workload's; each of the W ranks trains W-th of it. Rank 0 prints {@code RESULT java-W WORKLOAD BLOCK
 * MS_PER_STEP ALLREDUCE_MS_PER_STEP BYTES_PER_STEP}: the all-reduce figures are the time this rank spent blocked in
 * the collectives (waiting for the slower rank included; an all-reduce overlapped with the backward pass counts only
 * its start and its final wait) and the bytes it contributed.
 *
 * <p>Usage: {@code DistStep WORKLOAD [--warmup N] [--steps N] [--repeats N]} (one thread per rank).
 */
public final class DistStep {
    private DistStep() {}

    public static void main(String[] args) {
        String workload = args[0];
        int warmup = 20;
        int steps = 50;
        int repeats = 3;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Engine.configureThreads(1);
        WorldInfo world = WorldInfo.fromEnvironment();
        try (Timed c = new Timed(Collective.join(world, new DistSpec(CommBackend.GLOO, 120, 0), false))) {
            Runnable step = PeerStep.training(workload, "cpu", false, 1, warmup + steps * repeats, c);
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
            for (int r = 0; r < repeats; r++) {
                c.reset();
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    step.run();
                }
                double ms = (System.nanoTime() - t0) / 1e6 / steps;
                if (world.rank() == 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "RESULT java-%d %s %d %.4f %.4f %d%n",
                            world.size(),
                            workload,
                            r,
                            ms,
                            c.nanos / 1e6 / steps,
                            c.bytes / steps);
                }
            }
        }
        System.exit(0);
    }

    /** A collective that counts the time spent in, and the bytes sent to, its all-reduces. */
    private static final class Timed implements Collective {
        private final Collective inner;
        long nanos;
        long bytes;

        Timed(Collective inner) {
            this.inner = inner;
        }

        void reset() {
            nanos = 0;
            bytes = 0;
        }

        @Override
        public int rank() {
            return inner.rank();
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public void sum(Tensor t) {
            long t0 = System.nanoTime();
            inner.sum(t);
            nanos += System.nanoTime() - t0;
            bytes += t.numel() * t.element_size();
        }

        @Override
        public Pending startSum(Tensor t) {
            long t0 = System.nanoTime();
            Pending p = inner.startSum(t);
            nanos += System.nanoTime() - t0;
            bytes += t.numel() * t.element_size();
            return () -> {
                long t1 = System.nanoTime();
                p.await();
                nanos += System.nanoTime() - t1;
            };
        }

        @Override
        public void max(Tensor t) {
            inner.max(t);
        }

        @Override
        public void broadcast(Tensor t, int root) {
            long t0 = System.nanoTime();
            inner.broadcast(t, root);
            nanos += System.nanoTime() - t0;
            bytes += t.numel() * t.element_size();
        }

        @Override
        public String share(String key, String valueOnRankZero) {
            return inner.share(key, valueOnRankZero);
        }

        @Override
        public void fail(String cause) {
            inner.fail(cause);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
