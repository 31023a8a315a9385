package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
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
 * T = 4: three regression tasks and one 4-class task). Methods are interleaved in rounds (A B C … A B C …) so drift
 * hits all alike; each block runs warm-up steps then timed steps; the median per-step time over all rounds is
 * reported with its interquartile range, and the ratio to EW from the same run.
 *
 * <p>Usage: {@code benchmarks/java BalancerStepTime [rounds] [steps]}.
 */
public final class BalancerStepTime {
    private static final List<String> METHODS = List.of("ew", "uw", "dwa", "rlw", "gls", "imtl-l", "famo", "gradnorm",
            "mgda", "mgda-ub", "pcgrad", "cagrad", "imtl-g", "nash-mtl", "fairgrad", "aligned-mtl", "upgrad", "dualproj", "config");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = 30;
        RunConfig base = Quickstart.config(List.of("device=cpu", "train.eval_every=0", "train.checkpoint_every=0",
                "train.log_every=100000", "train.steps=" + (steps + warmup)));
        Engine.configureThreads(base.threads());
        Device device = Engine.device(base.deviceSpec());
        DataSplits data = Run.prepare(base);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        METHODS.forEach(m -> times.put(m, new ArrayList<>()));
        try (DeviceData train = new DeviceData(data.train(), data.tasks(), device, base.dtypeSpec().scalarType())) {
            for (int r = 0; r < rounds; r++) {
                for (String m : METHODS) {
                    RunConfig cfg = Quickstart.config(List.of("device=cpu", "train.eval_every=0", "train.checkpoint_every=0",
                            "train.log_every=100000", "train.steps=" + (steps + warmup), "balancer={type: " + m + "}"));
                    Engine.seed(cfg.seed() + r);
                    long[] last = {System.nanoTime()};
                    try (MultiTaskModel model = MultiTaskModel.build(cfg.model(),
                            Arrays.stream(data.train().exampleShape()).asLongStream().toArray(), data.tasks());
                         Trainer t = new Trainer(model, Run.balancer(cfg, data), cfg.train(), device, cfg.dtypeSpec().scalarType(),
                                 cfg.seed())) {
                        t.fit(train, null, List.of(new TrainingListener() {
                            @Override
                            public void onStep(StepResult s) {
                                long now = System.nanoTime();
                                if (s.step() >= warmup) {
                                    times.get(m).add((now - last[0]) / 1e6);
                                }
                                last[0] = now;
                            }
                        }));
                    }
                }
                System.err.println("round " + (r + 1) + "/" + rounds + " done");
            }
        }
        double ew = median(times.get("ew"));
        StringBuilder md = new StringBuilder("# Balancer step time relative to equal weighting\n\n");
        md.append("Command: `benchmarks/java BalancerStepTime ").append(rounds).append(' ').append(steps).append("`, ")
                .append(LocalDate.now()).append(". Quickstart model (HPS MLP 250→4×100, ")
                .append(String.format(Locale.ROOT, "%,d", 0L + sharedParams(base, data))).append(" shared parameters), batch 64, T = 4, CPU float32, ")
                .append(base.threads()).append(" intra-op threads; ").append(rounds).append(" interleaved rounds × ").append(steps)
                .append(" timed steps (after ").append(warmup).append(" warm-up steps) per method.\n\n");
        md.append(Machine.describe()).append('\n');
        md.append("| method | median ms/step | IQR (ms) | ratio to EW |\n|---|---|---|---|\n");
        for (String m : METHODS) {
            List<Double> xs = times.get(m);
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f–%.3f | %.2f× |%n", m, median(xs), quantile(xs, 0.25),
                    quantile(xs, 0.75), median(xs) / ew));
        }
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-balancer-step-time.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out);
    }

    private static long sharedParams(RunConfig cfg, DataSplits data) {
        try (MultiTaskModel m = MultiTaskModel.build(cfg.model(), Arrays.stream(data.train().exampleShape()).asLongStream().toArray(),
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
