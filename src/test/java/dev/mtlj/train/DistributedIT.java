package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.data.TaskLabels;
import dev.mtlj.dist.Collective;
import dev.mtlj.dist.CommBackend;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.dist.RankFailedException;
import dev.mtlj.dist.WorldInfo;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TinyProblem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data-parallel training over Gloo on loopback, each rank a thread of this JVM with its own process group (the c10d
 * code path is the one separate processes take; {@code cli/DistributedLaunchIT} runs real processes). The reference is
 * the one-process run on the same global batches: W ranks must reach its parameters to float tolerance — exactly the
 * same update, only summed in another order — for a loss weighting, GradNorm (exact norms of averaged rows), a Gramian
 * method, a representation-space Gramian method and a row-wise method, with partial labels so the shards hold
 * different numbers of labels.
 */
class DistributedIT {
    private static final DataSplits DATA = withPartialLabels(TinyProblem.generate(6, 240, 60, 20, 5));
    private static final ModelSpec MODEL = new ModelSpec(new MlpSpec(List.of(16, 16), 0.0), null, null, null);
    private static final ExecutorService RANKS = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        RANKS.shutdownNow();
    }

    /** 'bin' labelled on 2 rows of 3, 'cls' on every other row: shards differ in how many labels they hold. */
    private static DataSplits withPartialLabels(DataSplits d) {
        Function<MultiTaskData, MultiTaskData> drop = data -> {
            Map<String, TaskLabels> labels = new LinkedHashMap<>(data.labels());
            for (String task : List.of("bin", "cls")) {
                TaskLabels l = labels.get(task);
                float[] v = l.values().clone();
                for (int r = 0; r < l.rows(); r++) {
                    if (task.equals("bin") ? r % 3 == 2 : r % 2 == 1) {
                        v[r] = Float.NaN;
                    }
                }
                labels.put(task, new TaskLabels(v, l.width()));
            }
            return new MultiTaskData(data.features(), data.exampleShape(), labels);
        };
        return new dev.mtlj.data.DataSplits(d.tasks(), drop.apply(d.train()), drop.apply(d.val()), d.test());
    }

    private static TrainSpec spec() {
        return TrainSpec.defaults()
                .withSteps(12L)
                .withBatchSize(30) // 15 rows per rank at W = 2, 10 at W = 3
                .withEvalBatchSize(64)
                .withOptimizer(new OptimizerSpec(OptimizerType.SGD, 0.05, 0.9, null, null, null, 0.0))
                .withLogEvery(1L)
                .withEvalEvery(6L)
                .withCheckpointEvery(0L);
    }

    /** What a rank ends with: its parameters and the training losses it was told. */
    private record Outcome(float[] parameters, List<double[]> losses) {}

    private static Balancer balancer(String method) {
        return Balancers.create(method, Map.of(), BalancerContext.of(DATA.tasks(), 0.05, 7));
    }

    private static MultiTaskModel model() {
        Engine.seed(3);
        return MultiTaskModel.build(MODEL, new long[] {6}, DATA.tasks());
    }

    /** Trains {@code model} as rank {@code c.rank()} (or alone with the single collective). */
    private static Outcome train(MultiTaskModel model, String method, Collective c, DistSpec dist) {
        Engine.adoptThreads();
        List<double[]> losses = new ArrayList<>();
        try (Balancer b = balancer(method);
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), DeviceSpec.parse("cpu"), DType.FLOAT32);
                DeviceData val = new DeviceData(DATA.val(), DATA.tasks(), DeviceSpec.parse("cpu"), DType.FLOAT32);
                Trainer t = Trainer.builder(model, b)
                        .spec(spec())
                        .seed(7)
                        .distributed(c, dist)
                        .build()) {
            t.fit(train, val, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    if (r.split().equals("train")) {
                        losses.add(r.tasks().values().stream()
                                .mapToDouble(TaskReport::loss)
                                .toArray());
                    }
                }
            }));
            return new Outcome(flat(model), losses);
        }
    }

    private static float[] flat(MultiTaskModel m) {
        try (PointerScope scope = new PointerScope()) {
            TensorVector ps = m.network().parameters();
            List<float[]> parts = new ArrayList<>();
            int n = 0;
            for (long k = 0; k < ps.size(); k++) {
                float[] p = Tensors.toFloats(ps.get(k));
                parts.add(p);
                n += p.length;
            }
            float[] out = new float[n];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        }
    }

    /** Runs {@code size} ranks as threads; rank r trains a model built like every other (then rank 0's is broadcast). */
    private static List<Outcome> ranks(int size, String method, DistSpec dist) throws Exception {
        int port = freePort();
        List<MultiTaskModel> models = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            models.add(model()); // built one after another: libtorch's generator is process-wide
        }
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            int rank = r;
            futures.add(RANKS.submit(() -> {
                WorldInfo w = new WorldInfo(rank, size, rank, size, "127.0.0.1", port, 0, null, false);
                try (Collective c = Collective.join(w, dist, false)) {
                    return train(models.get(rank), method, c, dist);
                }
            }));
        }
        List<Outcome> out = new ArrayList<>();
        try {
            for (Future<Outcome> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            models.forEach(MultiTaskModel::close);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * W ranks reach the one-process parameters: relative error below 1e-5 of the parameters' scale (float32 sums in
     * another order), every rank bitwise equal to rank 0 (also checked after every step by the replica check).
     */
    @ParameterizedTest(name = "{0} on {1} ranks")
    @CsvSource({"ew, 2", "ew, 3", "gradnorm, 2", "dwa, 2", "upgrad, 2", "upgrad, 3", "imtl-g-ub, 2", "pcgrad, 2"})
    void ranksTrainLikeOneProcessOnTheGlobalBatch(String method, int size) throws Exception {
        Outcome one;
        try (MultiTaskModel m = model()) {
            one = train(m, method, Collective.single(), DistSpec.defaults());
        }
        DistSpec dist = new DistSpec(CommBackend.GLOO, 30, 1);
        List<Outcome> ranks = ranks(size, method, dist);
        double scale = 0;
        for (float v : one.parameters()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int r = 0; r < size; r++) {
            assertThat(ranks.get(r).parameters())
                    .as("rank %d equals rank 0", r)
                    .containsExactly(ranks.get(0).parameters());
        }
        float[] got = ranks.get(0).parameters();
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("parameter %d", i).isCloseTo(one.parameters()[i], within(1e-5 * scale));
        }
        assertThat(ranks.get(0).losses()).hasSameSizeAs(one.losses());
        for (int s = 0; s < one.losses().size(); s++) {
            for (int i = 0; i < 3; i++) {
                assertThat(ranks.get(0).losses().get(s)[i])
                        .as("step %d task %d loss", s, i)
                        .isCloseTo(
                                one.losses().get(s)[i],
                                within(1e-5 * Math.abs(one.losses().get(s)[i]) + 1e-7));
            }
        }
    }

    /** A rank that fails stops the others at once, naming it and its error. */
    @Test
    void aFailingRankIsNamedByTheOthers() throws Exception {
        int port = freePort();
        DistSpec dist = new DistSpec(CommBackend.GLOO, 20, 0);
        List<MultiTaskModel> models = List.of(model(), model());
        try {
            Future<Throwable> rank0 = RANKS.submit(() -> runRank(models.get(0), 0, port, dist, 0));
            Future<Throwable> rank1 = RANKS.submit(() -> runRank(models.get(1), 1, port, dist, 5));
            Throwable e0 = rank0.get(60, TimeUnit.SECONDS);
            assertThat(e0)
                    .isInstanceOf(RankFailedException.class)
                    .hasMessageStartingWith("rank 1 failed: injected failure at step 5");
            assertThat(rank1.get(60, TimeUnit.SECONDS)).hasMessage("injected failure at step 5");
        } finally {
            models.forEach(MultiTaskModel::close);
        }
    }

    /** A rank that hangs is named by the others after dist.timeout_s, never a hang. */
    @Test
    void aHangingRankIsNamedAfterTheTimeout() throws Exception {
        int port = freePort();
        DistSpec dist = new DistSpec(CommBackend.GLOO, 3, 0);
        List<MultiTaskModel> models = List.of(model(), model());
        try {
            Future<Throwable> rank0 = RANKS.submit(() -> runRank(models.get(0), 0, port, dist, 0));
            Future<Throwable> rank1 = RANKS.submit(() -> runRank(models.get(1), 1, port, dist, -4));
            Throwable e0 = rank0.get(60, TimeUnit.SECONDS); // 3 s of silence, then the diagnosis; never a hang
            assertThat(e0)
                    .isInstanceOf(RankFailedException.class)
                    .hasMessageStartingWith("rank 1 stopped responding during an all-reduce");
            rank1.get(60, TimeUnit.SECONDS);
        } finally {
            models.forEach(MultiTaskModel::close);
        }
    }

    /**
     * Rank {@code rank} of two: {@code trouble} > 0 throws at that step, < 0 sleeps 8 s at step −trouble (longer than
     * the timeout), 0 trains normally; returns what the fit threw, or null.
     */
    private static Throwable runRank(MultiTaskModel model, int rank, int port, DistSpec dist, int trouble) {
        Engine.adoptThreads();
        WorldInfo w = new WorldInfo(rank, 2, rank, 2, "127.0.0.1", port, 0, null, false);
        try (Collective c = Collective.join(w, dist, false);
                Balancer b = balancer("ew");
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), DeviceSpec.parse("cpu"), DType.FLOAT32);
                Trainer t = Trainer.builder(model, b)
                        .spec(spec().withSteps(40L).withEvalEvery(0L))
                        .seed(7)
                        .distributed(c, dist)
                        .build()) {
            t.fit(train, null, List.of(new TrainingListener() {
                @Override
                public void onStep(StepResult r) {
                    if (trouble > 0 && r.step() + 1 == trouble) {
                        throw new IllegalStateException("injected failure at step " + trouble);
                    }
                    if (trouble < 0 && r.step() + 1 == -trouble) {
                        try {
                            Thread.sleep(8_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
