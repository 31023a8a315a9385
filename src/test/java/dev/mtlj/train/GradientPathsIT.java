package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.balance.Balance;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.Balancers;
import dev.mtlj.balance.GramianInput;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.balance.NativeScale;
import dev.mtlj.data.Batch;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.task.Losses;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.Test;

/**
 * The trainer's Jacobian paths against the plain weighted-loss step: a balancer that asks for a Gramian but answers
 * fixed weights w (heads h = w) must move every parameter exactly as backpropagating Σ w_i L_i does, because
 * d = Jᵀw = Σ w_i ∇_θ L_i and head i receives w_i ∇_φ L_i. This checks the rows, d and the head gradients.
 */
class GradientPathsIT {
    private static final Device DEVICE = TestDevice.get();
    private static final DataSplits DATA = TinyProblem.generate(6, 128, 16, 16, 21);
    private static final double[] W = {2.0, 0.5, 1.0};

    /** Fixed weights, but computed "through" a Gramian; records the Gramians it saw. */
    private static final class Probe implements GramianWeighting {
        final Space space;
        final List<double[][]> seen = new ArrayList<>();

        Probe(Space space) {
            this.space = space;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public NativeScale nativeScale() {
            return NativeScale.CANONICAL;
        }

        @Override
        public Space space() {
            return space;
        }

        @Override
        public Balance weigh(GramianInput in) {
            seen.add(in.gramian());
            return new Balance(W, W, Map.of());
        }
    }

    private static double[] trainAndFlatten(Balancer b, int steps) {
        Engine.seed(3);
        TrainSpec spec = TrainSpec.defaults()
                .withSteps((long) steps)
                .withBatchSize(16)
                .withEvalBatchSize(16)
                .withOptimizer(OptimizerSpec.adam(1e-2))
                .withLogEvery(100L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8, 8), 0.0), null, null, null),
                        new long[] {6},
                        DATA.tasks());
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT64);
                PointerScope s = new PointerScope()) {
            model.to(TestDevice.spec(), DType.FLOAT64);
            try (Trainer t = Trainer.builder(model, b).spec(spec).seed(3).build()) {
                t.fit(train, null);
            }
            TensorVector ps = model.network().parameters();
            List<Double> all = new ArrayList<>();
            for (long i = 0; i < ps.size(); i++) {
                for (double v : Tensors.toDoubles(ps.get(i))) {
                    all.add(v);
                }
            }
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static void sameParameters(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("parameter scalar %d", i).isCloseTo(b[i], within(1e-10));
        }
    }

    @Test
    void sharedParameterJacobianReproducesTheWeightedLossStep() {
        Probe probe = new Probe(GramianWeighting.Space.SHARED_PARAMETERS);
        sameParameters(trainAndFlatten(probe, 5), trainAndFlatten(Balancers.fixed(W), 5));
        double[][] h = probe.seen.get(0);
        assertThat(h).hasDimensions(3, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(h[i][i]).isPositive();
            for (int j = 0; j < 3; j++) {
                assertThat(h[i][j]).isEqualTo(h[j][i]);
                assertThat(h[i][j] * h[i][j]).isLessThanOrEqualTo(h[i][i] * h[j][j] * (1 + 1e-12)); // Cauchy–Schwarz
            }
        }
    }

    @Test
    void representationJacobianReproducesTheWeightedLossStep() {
        sameParameters(
                trainAndFlatten(new Probe(GramianWeighting.Space.REPRESENTATION), 5),
                trainAndFlatten(Balancers.fixed(W), 5));
    }

    /** The Gramian's diagonal equals ‖∇_θ L_i‖² computed independently by separate backward passes. */
    @Test
    void gramianDiagonalMatchesSeparateBackwardPasses() {
        Engine.seed(3);
        try (MultiTaskModel model = MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(8), 0.0), null, null, null), new long[] {6}, DATA.tasks());
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                PointerScope s = new PointerScope()) {
            TestDevice.on(model);
            Batch b = train.slice(0, 16);
            List<Tensor> outs = model.network().forward(b.inputs());
            List<Tensor> losses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                losses.add(Losses.compute(
                        DATA.tasks().get(i), outs.get(i), b.targets().get(i)));
            }
            List<TensorVector> heads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                heads.add(model.network().taskParameters(i));
            }
            double[][] h = GradientProbe.gramian(
                    GradientProbe.jacobian(losses, model.network().sharedParameters(), heads)
                            .rows());
            double[] norms = GradientProbe.norms(
                    freshLosses(model, b), model.network().sharing().lastSharedWeight());
            for (int i = 0; i < 3; i++) {
                List<Tensor> l = freshLosses(model, b);
                model.network().zero_grad(true);
                l.get(i).backward();
                double sq = 0;
                TensorVector shared = model.network().sharedParameters();
                for (long k = 0; k < shared.size(); k++) {
                    double n = shared.get(k).grad().norm().item_double();
                    sq += n * n;
                }
                assertThat(h[i][i]).isCloseTo(sq, within(1e-5 * sq));
                double w = model.network()
                        .sharing()
                        .lastSharedWeight()
                        .grad()
                        .norm()
                        .item_double();
                assertThat(norms[i]).isCloseTo(w, within(1e-5 * w));
            }
        }
    }

    private static List<Tensor> freshLosses(MultiTaskModel model, Batch b) {
        List<Tensor> outs = model.network().forward(b.inputs());
        List<Tensor> losses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            losses.add(
                    Losses.compute(DATA.tasks().get(i), outs.get(i), b.targets().get(i)));
        }
        return losses;
    }
}
