package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.data.GradNormToy;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every registered balancer trains end to end; stateful ones resume exactly; GradNorm orders the toy's tasks. */
class BalancersIT {
    private static final Device DEVICE = TestDevice.get();
    private static final DataSplits DATA = TinyProblem.generate(6, 256, 32, 32, 8);

    private static Balancer make(String name) {
        Map<String, Object> params =
                name.equals("fixed") ? Map.of("weights", Map.of("reg", 1, "bin", 2, "cls", 0.5)) : Map.of();
        return Balancers.create(
                name, params, new BalancerContext(List.of("reg", "bin", "cls"), List.of(true, false, false), 1e-2, 4));
    }

    private static List<Report> train(String balancer, long steps, Path resume, Path save) throws Exception {
        List<Report> reports = new ArrayList<>();
        Engine.seed(4);
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(steps)
                .withBatchSize(16)
                .withEvalBatchSize(32)
                .withOptimizer(OptimizerSpec.adam(1e-2))
                .withLogEvery(1L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(12, 12), 0.1), null, null, null),
                        new long[] {6},
                        DATA.tasks());
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, make(balancer))
                        .spec(spec)
                        .seed(4)
                        .build()) {
            TestDevice.on(model);
            if (resume != null) {
                t.resume(resume);
            }
            t.fit(train, null, List.of(new TrainingListener() {
                @Override
                public void onReport(Report r) {
                    reports.add(r);
                }
            }));
            if (save != null) {
                t.save(save);
            }
        }
        return reports;
    }

    /** Every registered method. */
    static java.util.stream.Stream<String> methods() {
        return Balancers.names().stream();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void trainsWithFiniteLossesAndWeights(String name) throws Exception {
        List<Report> reports = train(name, 40, null, null);
        assertThat(reports).hasSize(40);
        for (Report r : reports) {
            r.tasks().values().forEach(t -> {
                assertThat(t.loss()).as(name + " loss").isFinite();
                assertThat(t.weight()).as(name + " weight").isFinite();
            });
        }
        // the total loss over the last 10 steps is below that of the first 10
        double first =
                reports.subList(0, 10).stream().mapToDouble(Report::totalLoss).sum();
        double last =
                reports.subList(30, 40).stream().mapToDouble(Report::totalLoss).sum();
        assertThat(last).as(name).isLessThan(first);
    }

    /** Stopped after 17 steps and resumed, every method repeats the uninterrupted run (state, random draws, device state). */
    @ParameterizedTest
    @MethodSource("methods")
    void everyBalancerResumesExactly(String name, @TempDir Path dir) throws Exception {
        List<Report> full = train(name, 30, null, null);
        Path ckpt = dir.resolve("c.ckpt");
        List<Report> joined = new ArrayList<>(train(name, 17, null, ckpt));
        joined.addAll(train(name, 30, ckpt, null));
        assertThat(joined).hasSize(30);
        for (int i = 0; i < 30; i++) {
            for (String task : List.of("reg", "bin", "cls")) {
                assertThat(joined.get(i).tasks().get(task).loss())
                        .as("%s step %d %s", name, i, task)
                        .isEqualTo(full.get(i).tasks().get(task).loss());
                assertThat(joined.get(i).tasks().get(task).weight())
                        .isEqualTo(full.get(i).tasks().get(task).weight());
            }
        }
    }

    /**
     * The GradNorm toy, reduced (input 32, output 8, σ = 1, 10, 100): GradNorm's learned weights must order the tasks
     * inversely to their scales (Chen et al. 2018,).
     */
    @Test
    void gradNormOrdersTheToyTasksInverselyToTheirScales() {
        DataSplits toy =
                GradNormToy.generate(new GradNormToy.Options(new double[] {1, 10, 100}, 32, 8, 0, 512, 32, 32, 5));
        Engine.seed(5);
        Balancer gn = Balancers.create(
                "gradnorm",
                Map.of("alpha", 0.12, "lr", 0.01),
                new BalancerContext(List.of("y1", "y2", "y3"), List.of(true, true, true), 1e-3, 5));
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(300L)
                .withBatchSize(32)
                .withEvalBatchSize(32)
                .withOptimizer(OptimizerSpec.adam(1e-3))
                .withLogEvery(300L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L);
        double[] w;
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(32, 32, 32, 32), 0.0), null, null, null),
                        new long[] {32},
                        toy.tasks());
                DeviceData train = new DeviceData(toy.train(), toy.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, gn).spec(spec).seed(5).build()) {
            TestDevice.on(model);
            t.fit(train, null, List.of());
            w = ((dev.mtlj.balance.GradNorm) gn).weights();
        }
        assertThat(w[0])
                .as("w(σ=1) > w(σ=10): %s", java.util.Arrays.toString(w))
                .isGreaterThan(w[1]);
        assertThat(w[1])
                .as("w(σ=10) > w(σ=100): %s", java.util.Arrays.toString(w))
                .isGreaterThan(w[2]);
        assertThat(w[0] + w[1] + w[2]).isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
    }
}
