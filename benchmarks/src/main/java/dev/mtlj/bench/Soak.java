package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.train.Report;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;

/**
 * Soak: N steps (default 20,000) of the quickstart model with validation every 2,000 steps; resident memory
 * (VmRSS, RssAnon), the committed Java heap, JavaCPP's live handle count and the number of garbage collections so far
 * are sampled every E steps (default 1,000). The criterion: RSS growth from step 2,000 to the end under 5%.
 *
 * <p>Usage: {@code benchmarks/soak [steps [every]]}; writes {@code benchmarks/results/<date>-soak-<tag>.md}.
 */
public final class Soak {
    private record Sample(
            long step, long rssKib, long anonKib, long heapKib, long handles, long gcs, double msPerStep) {}

    public static void main(String[] args) throws Exception {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
        long every = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        RunConfig cfg = Quickstart.config(
                List.of("device=cpu", "train.steps=" + steps, "train.eval_every=2000", "train.checkpoint_every=0"));
        Engine.configureThreads(cfg.threads());
        Device device = Engine.device(cfg.deviceSpec());
        DataSplits data = Run.prepare(cfg);
        List<Sample> samples = new ArrayList<>();
        long[] last = {System.nanoTime()};
        Engine.seed(cfg.seed());
        try (MultiTaskModel model = MultiTaskModel.build(
                        cfg.model(),
                        Arrays.stream(data.train().exampleShape())
                                .asLongStream()
                                .toArray(),
                        data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec());
                DeviceData val = new DeviceData(data.val(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec());
                Trainer trainer = Trainer.builder(model, Run.balancer(cfg, data))
                        .spec(cfg.train())
                        .seed(cfg.seed())
                        .build()) {
            trainer.fit(train, val, List.of(new TrainingListener() {
                @Override
                public void onStep(StepResult r) {
                    long done = r.step() + 1;
                    if (done % every == 0) {
                        long now = System.nanoTime();
                        long heap = java.lang.management.ManagementFactory.getMemoryMXBean()
                                        .getHeapMemoryUsage()
                                        .getCommitted()
                                / 1024;
                        samples.add(new Sample(
                                done,
                                Machine.statusKib("VmRSS"),
                                Machine.statusKib("RssAnon"),
                                heap,
                                Pointer.totalCount(),
                                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                                        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount)
                                        .sum(),
                                (now - last[0]) / 1e6 / every));
                        last[0] = now;
                    }
                }

                @Override
                public void onReport(Report r) {
                    if (!r.split().equals("train")) {
                        System.err.printf(Locale.ROOT, "step %d val loss %.5g%n", r.step() + 1, r.totalLoss());
                    }
                }
            }));
        }
        write(samples, steps, every);
    }

    private static void write(List<Sample> samples, long steps, long every) throws Exception {
        Sample ref = samples.stream().filter(s -> s.step() == 2000).findFirst().orElse(samples.get(0));
        Sample end = samples.get(samples.size() - 1);
        double growth = 100.0 * (end.rssKib() - ref.rssKib()) / ref.rssKib();
        double nativeGrowth =
                100.0 * ((end.anonKib() - end.heapKib()) - (ref.anonKib() - ref.heapKib())) / ref.rssKib();
        StringBuilder md = new StringBuilder("# Soak: quickstart model, " + steps + " steps\n\n");
        md.append("Command: `benchmarks/soak ")
                .append(steps)
                .append(every == 1000 ? "" : " " + every)
                .append("`, ")
                .append(LocalDate.now())
                .append("\n\n");
        md.append(Machine.describe()).append('\n');
        md.append("JVM options: `")
                .append(String.join(
                        " ",
                        java.lang.management.ManagementFactory.getRuntimeMXBean()
                                .getInputArguments()))
                .append("`\n\n");
        md.append(
                "| step | VmRSS (MiB) | RssAnon (MiB) | Java heap committed (MiB) | RssAnon − heap (MiB) | live JavaCPP handles | GCs so far | ms/step |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %.1f | %.1f | %.1f | %.1f | %d | %d | %.3f |%n",
                    s.step(),
                    s.rssKib() / 1024.0,
                    s.anonKib() / 1024.0,
                    s.heapKib() / 1024.0,
                    (s.anonKib() - s.heapKib()) / 1024.0,
                    s.handles(),
                    s.gcs(),
                    s.msPerStep()));
        }
        md.append(String.format(
                Locale.ROOT,
                "%nVmRSS at step %d: %.1f MiB; at step %d: %.1f MiB; growth %.2f%% (criterion: < 5%%): %s%n",
                ref.step(),
                ref.rssKib() / 1024.0,
                end.step(),
                end.rssKib() / 1024.0,
                growth,
                growth < 5 ? "PASS" : "FAIL"));
        md.append(String.format(
                Locale.ROOT,
                "Growth of RssAnon − Java heap committed over the same span, relative to VmRSS at step %d: %.2f%%%n",
                ref.step(),
                nativeGrowth));
        String tag = System.getenv().getOrDefault("SOAK_TAG", "default-jvm");
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-soak-" + tag + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out);
    }
}
