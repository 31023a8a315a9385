package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Training-step time of mtlj on one device, for comparison with {@code benchmarks/gpu/step_time.py} (the same
 * model, data sizes, optimizer and loss in eager PyTorch). Workloads ({@link #WORKLOADS}): the quickstart HPS MLP
 * (250→4×100, T = 4, batch 64) and a wide one (250→4×2048, batch 1024) in fp32 and bf16 autocast, all with equal
 * weights and Adam. Per workload: 50 warm-up steps, then {@code repeats} timed blocks of {@code steps} steps, each
 * block closed by a device synchronisation; prints one line per block ({@code java WORKLOAD REPEAT MS_PER_STEP})
 * and the median per workload.
 *
 * <p>Usage: {@code GpuStepTime [device] [repeats] [steps]} (defaults cuda, 7, 200).
 */
public final class GpuStepTime {
    /** name, hidden width, batch, precision. */
    static final List<String[]> WORKLOADS = List.of(
            new String[] {"quickstart-b64", "100", "64", "fp32"},
            new String[] {"quickstart-b256", "100", "256", "fp32"},
            new String[] {"wide-b1024", "2048", "1024", "fp32"},
            new String[] {"wide-b1024-bf16", "2048", "1024", "bf16"});

    public static void main(String[] args) {
        String deviceName = args.length > 0 ? args[0] : "cuda";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int warmup = 50;
        List<String> summary = new ArrayList<>();
        for (String[] w : WORKLOADS) {
            int width = Integer.parseInt(w[1]);
            RunConfig cfg = Quickstart.config(List.of(
                    "device=" + deviceName,
                    "balancer={type: ew}",
                    "train.eval_every=0",
                    "train.checkpoint_every=0",
                    "train.log_every=1000000",
                    "train.steps=" + (warmup + repeats * steps),
                    "train.batch_size=" + w[2],
                    "train.precision=" + w[3],
                    "train.schedule={type: constant}",
                    "model.backbone={type: mlp, hidden: [" + width + ", " + width + ", " + width + ", " + width
                            + "]}"));
            Engine.configureThreads(cfg.threads());
            Device device = Engine.device(cfg.deviceSpec());
            DataSplits data = Run.prepare(cfg);
            Engine.seed(cfg.seed());
            List<Double> ms = new ArrayList<>();
            try (MultiTaskModel model = MultiTaskModel.build(
                            cfg.model(),
                            Arrays.stream(data.train().exampleShape())
                                    .asLongStream()
                                    .toArray(),
                            data.tasks());
                    DeviceData train = new DeviceData(data.train(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec())) {
                model.to(cfg.deviceSpec(), cfg.dtypeSpec());
                try (Trainer t = Trainer.builder(model, Run.balancer(cfg, data))
                        .spec(cfg.train())
                        .seed(cfg.seed())
                        .build()) {
                    for (int i = 0; i < warmup; i++) {
                        t.trainStep(train);
                    }
                    sync(device);
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < steps; i++) {
                            t.trainStep(train);
                        }
                        sync(device);
                        double perStep = (System.nanoTime() - t0) / 1e6 / steps;
                        ms.add(perStep);
                        System.out.printf(Locale.ROOT, "java %s %d %.4f%n", w[0], r, perStep);
                    }
                }
            }
            summary.add(String.format(Locale.ROOT, "java %s median %.4f ms/step", w[0], BalancerStepTime.median(ms)));
        }
        summary.forEach(System.out::println);
    }

    private static void sync(Device device) {
        if (device.is_cuda()) {
            torch.cuda_synchronize();
        }
    }
}
