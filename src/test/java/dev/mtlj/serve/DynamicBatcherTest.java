package dev.mtlj.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
    /**
     * A stand-in model: task "sum" gives each row's sum (so every caller can check it got its own rows); it can be
     * held inside predict until released, to build queues deterministically; it records every batch's row count.
     */
    static final class Gate implements BatchModel {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        final int width;

        Gate(int width) {
            this.width = width;
        }

        void hold() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Override
        public void check(float[] flat, int rows, Collection<String> tasks) {
            if (flat.length != rows * width) {
                throw new UserInputException("wrong size");
            }
        }

        @Override
        public Predictions predict(float[] flat, int rows, Collection<String> tasks) {
            batches.add(rows);
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[] sums = new float[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    sums[r] += flat[r * width + c];
                }
            }
            return new Predictions(
                    rows, Map.of("sum", new TaskOutput("sum", TaskKind.REGRESSION, rows, 1, sums, null)));
        }
    }

    private static float[] rows(float... v) {
        return v;
    }

    @Test
    void concurrentCallersEachGetTheirOwnRowsFromARealModel() throws Exception {
        Predictor predictor =
                Predictor.open(ServedRun.dir(), PredictorOptions.defaults().withDevice("cpu"));
        List<int[]> batches = new CopyOnWriteArrayList<>();
        try (predictor;
                DynamicBatcher batcher = new DynamicBatcher(
                        predictor,
                        new BatchingOptions(true, 16, 3_000, 256),
                        (ex, req) -> batches.add(new int[] {ex, req}),
                        "test")) {
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                long seed = t;
                jobs.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int k = 0; k < 15; k++) {
                        int n = 1 + rnd.nextInt(3);
                        float[] x = new float[n * 250];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) rnd.nextGaussian();
                        }
                        Predictions got = batcher.submit(x, n, k % 3 == 0 ? List.of("cls") : null)
                                .get();
                        Predictions alone = predictor.predict(x, n, null); // the same rows, run by themselves
                        assertThat(got.rows()).isEqualTo(n);
                        assertThat(got.task("cls").values())
                                .containsExactly(alone.task("cls").values(), within(1e-5f));
                        if (k % 3 == 0) {
                            assertThat(got.tasks().keySet()).containsExactly("cls");
                        } else {
                            assertThat(got.task("y2").values())
                                    .containsExactly(alone.task("y2").values(), within(1e-4f));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(batches).allSatisfy(b -> assertThat(b[0]).isBetween(1, 16));
        assertThat(batches.stream().mapToInt(b -> b[1]).sum()).isEqualTo(12 * 15);
    }

    @Test
    void queuedRequestsRunTogetherUpToTheMaxBatchSize() throws Exception {
        Gate model = new Gate(2);
        model.hold();
        try (DynamicBatcher b = new DynamicBatcher(model, new BatchingOptions(true, 4, 0, 16), (e, r) -> {}, "t")) {
            CompletableFuture<Predictions> first = b.submit(rows(1, 2), 1, null);
            assertThat(model.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the worker is busy with the first
            List<CompletableFuture<Predictions>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queued.add(b.submit(rows(i, 10 * i), 1, null)); // 5 single rows wait
            }
            CompletableFuture<Predictions> big = b.submit(new float[12], 6, null); // larger than the max: alone
            model.release.countDown();
            assertThat(first.get().task("sum").values()).containsExactly(3f);
            for (int i = 0; i < 5; i++) {
                assertThat(queued.get(i).get().task("sum").values()).containsExactly(11f * i);
            }
            assertThat(big.get().rows()).isEqualTo(6);
        }
        // 1 (busy), then the first 4 queued rows together, then the fifth (the 6-row request did not fit), then 6
        // alone.
        assertThat(model.batches).containsExactly(1, 4, 1, 6);
    }

    /**
     * The wait adapts: a lone request on an idle model runs at once even with a 10 s maximum wait; once requests
     * overlap, the next batch waits for company (here until its second row arrives) instead of leaving alone.
     */
    @Test
    void aLoneRequestDoesNotWaitButOverlappingOnesDo() throws Exception {
        Gate model = new Gate(1);
        try (DynamicBatcher b =
                new DynamicBatcher(model, new BatchingOptions(true, 2, 10_000_000, 16), (e, r) -> {}, "t")) {
            assertThat(b.submit(rows(1), 1, null).get(10, TimeUnit.SECONDS).rows())
                    .isEqualTo(1);
            assertThat(b.submit(rows(2), 1, null).get(10, TimeUnit.SECONDS).rows())
                    .isEqualTo(1);
            model.hold();
            CompletableFuture<Predictions> running = b.submit(rows(3), 1, null);
            assertThat(model.entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Predictions> during = b.submit(rows(4), 1, null); // arrives while a batch runs
            model.release.countDown();
            running.get(10, TimeUnit.SECONDS);
            // busy now: the next batch holds "during" and waits for a second row (its maximum) rather than leaving
            CompletableFuture<Predictions> joining = b.submit(rows(5), 1, null);
            assertThat(during.get(10, TimeUnit.SECONDS).rows()).isEqualTo(1);
            assertThat(joining.get(10, TimeUnit.SECONDS).rows()).isEqualTo(1);
        }
        assertThat(model.batches).containsExactly(1, 1, 1, 2);
    }

    @Test
    void aFullQueueRefusesAtOnceAndRecovers() throws Exception {
        Gate model = new Gate(1);
        model.hold();
        DynamicBatcher b = new DynamicBatcher(model, new BatchingOptions(true, 8, 0, 2), (e, r) -> {}, "t");
        CompletableFuture<Predictions> running = b.submit(rows(1), 1, null);
        assertThat(model.entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Predictions> q1 = b.submit(rows(2), 1, null);
        CompletableFuture<Predictions> q2 = b.submit(rows(3), 1, null);
        assertThat(b.depth()).isEqualTo(2);
        assertThatThrownBy(() -> b.submit(rows(4), 1, null))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("2 requests already queued");
        model.release.countDown();
        assertThat(running.get().task("sum").values()).containsExactly(1f);
        assertThat(q1.get().task("sum").values()).containsExactly(2f);
        assertThat(q2.get().task("sum").values()).containsExactly(3f);
        assertThat(b.submit(rows(5), 1, null).get().task("sum").values()).containsExactly(5f); // recovered
        b.close();
        assertThatThrownBy(() -> b.submit(rows(6), 1, null))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void aBadRequestFailsAloneAndCloseFinishesAcceptedWork() throws Exception {
        Gate model = new Gate(2);
        model.hold();
        DynamicBatcher b = new DynamicBatcher(model, new BatchingOptions(true, 8, 0, 8), (e, r) -> {}, "t");
        CompletableFuture<Predictions> running = b.submit(rows(1, 1), 1, null);
        assertThat(model.entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Predictions> bad = b.submit(rows(1, 2, 3), 1, null);
        CompletableFuture<Predictions> waiting = b.submit(rows(4, 5), 1, null);
        assertThatThrownBy(bad::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UserInputException.class);
        Thread closer = new Thread(b::close);
        closer.start();
        model.release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(running.get().task("sum").values()).containsExactly(2f);
        assertThat(waiting.get().task("sum").values()).containsExactly(9f);
    }

    @Test
    void withoutBatchingEachRequestRunsAloneAndExcessIsRefused() throws Exception {
        Gate model = new Gate(1);
        model.hold();
        DirectDispatcher d = new DirectDispatcher(model, 1, (e, r) -> {});
        CompletableFuture<CompletableFuture<Predictions>> first =
                CompletableFuture.supplyAsync(() -> d.submit(rows(7), 1, null));
        assertThat(model.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(d.depth()).isEqualTo(1);
        assertThatThrownBy(() -> d.submit(rows(8), 1, null))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("1 requests already running");
        model.release.countDown();
        assertThat(first.get().get().task("sum").values()).containsExactly(7f);
        assertThat(d.submit(rows(2), 1, null).get().task("sum").values()).containsExactly(2f);
        assertThat(model.batches).containsExactly(1, 1);
        d.close();
        assertThatThrownBy(() -> d.submit(rows(8), 1, null)).isInstanceOf(OverloadedException.class);
    }
}
