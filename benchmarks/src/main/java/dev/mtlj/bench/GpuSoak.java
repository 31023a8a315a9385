package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.CudaMemory;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.train.StepResult;
import dev.mtlj.train.Trainer;
import dev.mtlj.train.TrainingListener;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;

/**
 * CUDA soak: the quickstart run (GradNorm, validation every 500 steps, logging every 50) for {@code steps} steps
 * (default 5,000) on a CUDA device; every 500 steps prints the CUDA caching allocator's allocated and reserved bytes,
 * the process's resident memory and JavaCPP's live handle count.
 *
 * <p>Usage: {@code GpuSoak [steps] [device]}.
 */
public final class GpuSoak {
    public static void main(String[] args) {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 5000;
        String deviceName = args.length > 1 ? args[1] : "cuda";
        RunConfig cfg = Quickstart.config(List.of(
                "device=" + deviceName, "train.steps=" + steps, "train.eval_every=500", "train.checkpoint_every=0"));
        Engine.configureThreads(cfg.threads());
        Device device = Engine.device(cfg.deviceSpec());
        DataSplits data = Run.prepare(cfg);
        Engine.seed(cfg.seed());
        System.out.println(
                "| step | CUDA allocated (bytes) | CUDA reserved (bytes) | VmRSS (KiB) | live JavaCPP handles |");
        System.out.println("|---|---|---|---|---|");
        try (MultiTaskModel model = MultiTaskModel.build(
                        cfg.model(),
                        Arrays.stream(data.train().exampleShape())
                                .asLongStream()
                                .toArray(),
                        data.tasks());
                DeviceData train = new DeviceData(data.train(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec());
                DeviceData val = new DeviceData(data.val(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec())) {
            model.to(cfg.deviceSpec(), cfg.dtypeSpec());
            try (Trainer trainer = Trainer.builder(model, Run.balancer(cfg, data))
                    .spec(cfg.train())
                    .seed(cfg.seed())
                    .build()) {
                trainer.fit(train, val, List.of(new TrainingListener() {
                    @Override
                    public void onStep(StepResult r) {
                        long done = r.step() + 1;
                        if (done % 500 == 0) {
                            System.out.printf(
                                    Locale.ROOT,
                                    "| %d | %d | %d | %d | %d |%n",
                                    done,
                                    CudaMemory.allocatedBytes(device),
                                    CudaMemory.reservedBytes(device),
                                    Machine.statusKib("VmRSS"),
                                    Pointer.totalCount());
                        }
                    }
                }));
            }
        }
    }
}
