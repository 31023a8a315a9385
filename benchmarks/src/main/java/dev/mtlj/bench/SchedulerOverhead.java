package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.TaskStreams;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.sample.TaskSampler;
import dev.mtlj.sample.TaskSamplers;
import dev.mtlj.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Device;

/**
 * What the task scheduler adds to a step: the host-side work of a sampled step (the sampler's draw, the drawn task's
 * stream, mapping positions to rows) timed over 200,000 draws, against the quickstart model's training step (EW,
 * batch 64, CPU) timed over 7 blocks of 200 steps. Samplers: temperature (T = 2) and dynamic (its loss bookkeeping
 * included). Repeated in alternation; medians. Usage: {@code benchmarks/java SchedulerOverhead}.
 */
public final class SchedulerOverhead {
    public static void main(String[] args) {
        RunConfig cfg = Quickstart.config(List.of(
                "device=cpu",
                "balancer={type: ew}",
                "train.eval_every=0",
                "train.checkpoint_every=0",
                "train.log_every=1000000",
                "train.steps=100000"));
        Engine.configureThreads(cfg.threads());
        Device device = Engine.device(cfg.deviceSpec());
        DataSplits data = Run.prepare(cfg);
        List<String> names = data.tasks().stream().map(t -> t.name()).toList();
        long[] sizes = names.stream()
                .mapToLong(n -> data.train().labels().get(n).labelled())
                .toArray();
        int[][] rows = new int[names.size()][];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = java.util.stream.IntStream.range(0, (int) sizes[k]).toArray();
        }
        List<Double> stepMs = new ArrayList<>();
        List<Double> temperatureUs = new ArrayList<>();
        List<Double> dynamicUs = new ArrayList<>();
        Engine.seed(cfg.seed());
        try (MultiTaskModel model = MultiTaskModel.build(
                        cfg.model(),
                        Arrays.stream(data.train().exampleShape())
                                .asLongStream()
                                .toArray(),
                        data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec());
                Trainer t = Trainer.builder(model, Run.balancer(cfg, data))
                        .spec(cfg.train())
                        .seed(cfg.seed())
                        .build()) {
            for (int i = 0; i < 100; i++) {
                t.trainStep(train);
            }
            schedule(TaskSamplers.temperature(sizes, 2, 1), rows, names, 50_000, false); // warm-up
            schedule(TaskSamplers.create("dynamic", java.util.Map.of(), names, sizes, 1), rows, names, 50_000, true);
            for (int r = 0; r < 7; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    t.trainStep(train);
                }
                stepMs.add((System.nanoTime() - t0) / 1e6 / 200);
                temperatureUs.add(schedule(TaskSamplers.temperature(sizes, 2, r), rows, names, 200_000, false));
                dynamicUs.add(schedule(
                        TaskSamplers.create("dynamic", java.util.Map.of(), names, sizes, r),
                        rows,
                        names,
                        200_000,
                        true));
            }
        }
        double step = BalancerStepTime.median(stepMs);
        double temp = BalancerStepTime.median(temperatureUs);
        double dyn = BalancerStepTime.median(dynamicUs);
        System.out.printf(
                Locale.ROOT, "quickstart EW step (CPU, batch 64): median %.4f ms over 7 blocks of 200 steps%n", step);
        System.out.printf(
                Locale.ROOT,
                "scheduler, temperature T=2: %.3f µs per step = %.3f%% of a step%n",
                temp,
                100 * temp / 1000 / step);
        System.out.printf(
                Locale.ROOT,
                "scheduler, dynamic (with loss bookkeeping): %.3f µs per step = %.3f%% of a step%n",
                dyn,
                100 * dyn / 1000 / step);
        System.out.println(Machine.describe());
    }

    /** Host work of {@code n} sampled steps (batch 64), µs per step. */
    private static double schedule(TaskSampler sampler, int[][] rows, List<String> names, int n, boolean losses) {
        int[] batch = new int[rows.length];
        Arrays.fill(batch, 64);
        TaskStreams streams = new TaskStreams(names, rows, batch, 3, null, null);
        long sink = 0;
        long t0 = System.nanoTime();
        for (int s = 0; s < n; s++) {
            int k = sampler.next(s);
            int[] idx = streams.next(k);
            sink += idx[0];
            if (losses) {
                sampler.observeLoss(s, k, 1.0 / (1 + s));
            }
        }
        double us = (System.nanoTime() - t0) / 1e3 / n;
        if (sink == 42) {
            System.out.print("");
        }
        return us;
    }
}
