package dev.mtlj.bench;

import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.MultiTaskData;
import dev.mtlj.data.TaskLabels;
import dev.mtlj.dist.Collective;
import dev.mtlj.dist.CommBackend;
import dev.mtlj.dist.DistSpec;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import dev.mtlj.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * The Java side of {@code benchmarks/run}: the workloads of {@code native/} and {@code benchmarks/peers/torch_peer.py}
 * driven through mtlj's public API: a training step is {@link Trainer#trainStep} (batch gathering, forward, losses,
 * the balancer's needs, backward, Adam, the loss window), an inference call is {@link Predictor#predict} (host array
 * in, softmax and arg-max, Java arrays out). Definitions: {@code benchmarks/README.md}.
 *
 * <p>Usage: {@code PeerStep WORKLOAD [--device cpu|cuda] [--bf16] [--threads N] [--warmup N] [--steps N]
 * [--repeats N]}; prints {@code META ...} once and {@code RESULT java WORKLOAD BLOCK MS_PER_STEP} per timed block.
 */
public final class PeerStep {
    /** Config overrides per training workload (on top of the quickstart config). */
    static final Map<String, List<String>> TRAINING = Map.of(
            "hps-ew",
                    List.of(
                            "data.classes=0",
                            "model.backbone={type: mlp, hidden: [512, 512, 512, 512]}",
                            "balancer={type: ew}",
                            "train.batch_size=256"),
            "hps-gradnorm",
                    List.of(
                            "data.classes=0",
                            "model.backbone={type: mlp, hidden: [512, 512, 512, 512]}",
                            "balancer={type: gradnorm}",
                            "train.batch_size=256"),
            "hps-upgrad",
                    List.of(
                            "data.classes=4",
                            "model.backbone={type: mlp, hidden: [512, 512, 512, 512]}",
                            "balancer={type: upgrad}",
                            "train.batch_size=256"),
            "tiny-ew",
                    List.of(
                            "data.classes=0",
                            "model.backbone={type: mlp, hidden: [32, 32]}",
                            "balancer={type: ew}",
                            "train.batch_size=16"),
            "cnn-ew",
                    List.of(
                            "model.backbone={type: cnn, channels: [16, 32], kernel: 3, batch_norm: true, hidden: [128]}",
                            "balancer={type: ew}",
                            "train.batch_size=128"));

    public static void main(String[] args) throws Exception {
        String workload = null;
        String device = "cpu";
        boolean bf16 = false;
        int threads = 1;
        int warmup = 50;
        int steps = 100;
        int repeats = 5;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--device" -> device = args[++i];
                    case "--bf16" -> bf16 = true;
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--steps" -> steps = Integer.parseInt(args[++i]);
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    default -> workload = args[i];
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            workload = null; // a missing or non-numeric option value: print the usage below
        }
        if (workload == null
                || !(TRAINING.containsKey(workload) || workload.matches("infer-b(1|64)|op-add"))
                || threads < 1
                || warmup < 0
                || steps < 1
                || repeats < 1) {
            System.err.println("usage: PeerStep WORKLOAD [--device D] [--bf16] [--threads N] [--warmup N] [--steps N]"
                    + " [--repeats N]; workloads: " + new java.util.TreeSet<>(TRAINING.keySet())
                    + ", infer-b1, infer-b64, op-add");
            System.exit(2);
        }
        Engine.configureThreads(threads);
        System.out.printf(
                Locale.ROOT,
                "META java libtorch=2.10.0 (javacpp-presets 1.5.13) threads=%d device=%s jvm=%s%n",
                torch.get_num_threads(),
                device,
                Runtime.version());
        Runnable step = workload.equals("op-add")
                ? addOp()
                : workload.startsWith("infer-b")
                        ? inference(device, threads, Integer.parseInt(workload.substring("infer-b".length())))
                        : training(workload, device, bf16, threads, warmup + steps * repeats);
        Device target = Engine.device(DeviceSpec.parse(device));
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        sync(target);
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            sync(target);
            System.out.printf(
                    Locale.ROOT, "RESULT java %s %d %.6f%n", workload, r, (System.nanoTime() - t0) / 1e6 / steps);
        }
        System.exit(0); // the trainer and data stay open until here on purpose: they are the workload
    }

    private static Runnable training(String workload, String device, boolean bf16, int threads, int totalSteps) {
        return training(workload, device, bf16, threads, totalSteps, Collective.single());
    }

    /** The training workload as rank {@code collective.rank()} of a data-parallel run (the global batch as above). */
    static Runnable training(
            String workload, String device, boolean bf16, int threads, int totalSteps, Collective collective) {
        List<String> overrides = new ArrayList<>(TRAINING.get(workload));
        overrides.addAll(List.of(
                "device=" + device,
                "threads=" + threads,
                "train.eval_every=0",
                "train.checkpoint_every=0",
                "train.log_every=1000000000",
                "train.steps=" + totalSteps,
                "train.schedule={type: constant}",
                "train.precision=" + (bf16 ? "bf16" : "fp32"),
                "data.sigmas=[1, 10, 100]",
                "data.val=10",
                "data.test=10"));
        RunConfig cfg = Quickstart.config(overrides);
        Device dev = Engine.device(cfg.deviceSpec());
        DataSplits data = workload.equals("cnn-ew") ? images() : Run.prepare(cfg);
        Engine.seed(cfg.seed());
        MultiTaskModel model = MultiTaskModel.build(
                cfg.model(),
                Arrays.stream(data.train().exampleShape()).asLongStream().toArray(),
                data.tasks());
        DeviceData train = new DeviceData(data.train(), data.tasks(), cfg.deviceSpec(), cfg.dtypeSpec());
        model.to(cfg.deviceSpec(), cfg.dtypeSpec());
        Trainer trainer = Trainer.builder(model, Run.balancer(cfg, data))
                .spec(cfg.train())
                .seed(cfg.seed())
                .distributed(collective, new DistSpec(CommBackend.GLOO, 120, 0))
                .build();
        return () -> trainer.trainStep(train);
    }

    /** 4,000 random 1×28×28 images with two 10-class labels (Multi-Fashion's shapes; values do not change the cost). */
    private static DataSplits images() {
        int n = 4000;
        int side = 28 * 28;
        Random rnd = new Random(42);
        float[] x = new float[n * side];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        for (String t : List.of("left", "right")) {
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextInt(10);
            }
            labels.put(t, new TaskLabels(y, 1));
        }
        MultiTaskData all = new MultiTaskData(x, new int[] {1, 28, 28}, labels);
        List<TaskSpec> tasks = List.of(
                TaskSpec.of("left", TaskKind.CLASSIFICATION, 10), TaskSpec.of("right", TaskKind.CLASSIFICATION, 10));
        return new DataSplits(tasks, all, all.slice(0, 10), all.slice(0, 10));
    }

    /** A quickstart model trained for 2 steps (its weights do not change the cost), opened as a Predictor. */
    private static Runnable inference(String device, int threads, int batch) throws Exception {
        Path root = Files.createTempDirectory("mtlj-peer-");
        RunConfig cfg = Quickstart.config(List.of(
                "device=" + device,
                "threads=" + threads,
                "train.steps=2",
                "train.eval_every=0",
                "train.checkpoint_every=0",
                "output=" + root));
        Path dir = Run.train(cfg).dir();
        Predictor p = Predictor.open(dir, PredictorOptions.defaults().withDevice(device));
        Random rnd = new Random(42);
        float[] x = new float[batch * (int) p.signature().exampleSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return () -> p.predict(x, batch, null);
    }

    /** The floor of one libtorch op: a + b on one element in its own scope (the result freed). */
    private static Runnable addOp() {
        org.bytedeco.pytorch.Tensor a = torch.ones(1);
        org.bytedeco.pytorch.Tensor b = torch.ones(1);
        return () -> {
            try (org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope()) {
                a.add(b);
            }
        };
    }

    private static void sync(Device device) {
        if (device.is_cuda()) {
            torch.cuda_synchronize();
        }
    }
}
