package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Device;

/**
 * Step time of every balancer relative to equal weighting on the quickstart model (HPS MLP 250→4×100, batch 64,
 * T = 4: three regression tasks and one 4-class task). Methods are interleaved step by step (every method takes one
 * step, in an order rotated each time), so drift hits all alike; after warm-up steps, the median per-step time is
 * reported with its interquartile range, and the ratio to EW from the same run. {@code rounds × steps} timed steps
 * per method.
 *
 * <p>Usage: {@code benchmarks/java BalancerStepTime [rounds] [steps] [batch]}.
 */
public final class BalancerStepTime {
    /** Every registered method but fixed weights (which need per-task weights and cost what EW costs). */
    private static final List<String> METHODS = dev.mtlj.balance.Balancers.names().stream()
            .filter(m -> !m.equals("fixed"))
            .toList();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int warmup = 30;
        RunConfig base = Quickstart.config(List.of(
                "device=cpu",
                "train.eval_every=0",
                "train.checkpoint_every=0",
                "train.log_every=100000",
                "train.steps=" + (steps + warmup),
                "train.batch_size=" + batch));
        Engine.configureThreads(base.threads());
        Device device = Engine.device(base.deviceSpec());
        DataSplits data = Run.prepare(base);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        METHODS.forEach(m -> times.put(m, new ArrayList<>()));
        List<MultiTaskModel> models = new ArrayList<>();
        List<Trainer> trainers = new ArrayList<>();
        try (DeviceData train = new DeviceData(data.train(), data.tasks(), base.deviceSpec(), base.dtypeSpec())) {
            for (String m : METHODS) {
                RunConfig cfg = Quickstart.config(
                        List.of("device=cpu", "train.batch_size=" + batch, "balancer={type: " + m + "}"));
                Engine.seed(cfg.seed());
                MultiTaskModel model = MultiTaskModel.build(
                        cfg.model(),
                        Arrays.stream(data.train().exampleShape())
                                .asLongStream()
                                .toArray(),
                        data.tasks());
                models.add(model);
                trainers.add(Trainer.builder(model, Run.balancer(cfg, data))
                        .spec(cfg.train())
                        .seed(cfg.seed())
                        .build());
            }
            // Interleave at the step level: step s runs every method once, in an order rotated by s, so drift and
            // bursts of load on this shared machine hit all methods alike.
            int n = METHODS.size();
            for (int s = 0; s < rounds * steps + warmup; s++) {
                for (int k = 0; k < n; k++) {
                    int i = (k + s) % n;
                    long t0 = System.nanoTime();
                    trainers.get(i).trainStep(train);
                    long t1 = System.nanoTime();
                    if (s >= warmup) {
                        times.get(METHODS.get(i)).add((t1 - t0) / 1e6);
                    }
                }
            }
        } finally {
            trainers.forEach(Trainer::close);
            models.forEach(MultiTaskModel::close);
        }
        double ew = median(times.get("ew"));
        StringBuilder md = new StringBuilder("# Balancer step time relative to equal weighting\n\n");
        md.append("Command: `benchmarks/java BalancerStepTime ")
                .append(rounds)
                .append(' ')
                .append(steps)
                .append(' ')
                .append(batch)
                .append("`, ")
                .append(LocalDate.now())
                .append(". Quickstart model (HPS MLP 250→4×100, ")
                .append(String.format(Locale.ROOT, "%,d", 0L + sharedParams(base, data)))
                .append(" shared parameters), batch ")
                .append(batch)
                .append(", T = 4, CPU float32, ")
                .append(base.threads())
                .append(" intra-op threads; methods interleaved step by step (rotated order), ")
                .append(rounds * steps)
                .append(" timed steps (after ")
                .append(warmup)
                .append(" warm-up steps) per method.\n\n");
        md.append(Machine.describe()).append('\n');
        md.append("| method | median ms/step | IQR (ms) | ratio to EW |\n|---|---|---|---|\n");
        for (String m : METHODS) {
            List<Double> xs = times.get(m);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.3f | %.3f–%.3f | %.2f× |%n",
                    m,
                    median(xs),
                    quantile(xs, 0.25),
                    quantile(xs, 0.75),
                    median(xs) / ew));
        }
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-balancer-step-time-batch" + batch + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out);
    }

    private static long sharedParams(RunConfig cfg, DataSplits data) {
        try (MultiTaskModel m = MultiTaskModel.build(
                cfg.model(),
                Arrays.stream(data.train().exampleShape()).asLongStream().toArray(),
                data.tasks())) {
            return m.sharedParameterCount();
        }
    }

    static double median(List<Double> xs) {
        return quantile(xs, 0.5);
    }

    static double quantile(List<Double> xs, double q) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
