package dev.mtlj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtlj.balance.Balancers;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.DeviceData;
import dev.mtlj.engine.CudaMemory;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Precision;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.MlpSpec;
import dev.mtlj.model.ModelSpec;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.testing.TestDevice;
import dev.mtlj.testing.TinyProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CUDA-only properties; skipped unless the suite runs with -Dmtlj.test.device=cuda (benchmarks/gpu/host/test). */
class CudaIT {
    private static final DataSplits DATA = TinyProblem.generate(8, 512, 64, 64, 3);

    @BeforeEach
    void needsCuda() {
        assumeTrue(TestDevice.cuda(), "runs on CUDA only (-Dmtlj.test.device=cuda)");
    }

    @Test
    void autoPicksCuda() {
        assertThat(Engine.device(DeviceSpec.parse("auto")).is_cuda()).isTrue();
    }

    /**
     * A training step that reads nothing back (equal weights, clipping on) never makes the host wait for the device:
     * with libtorch's sync debug mode set to error, any stream synchronisation (a pageable copy, .item(), a
     * host-side clip norm) would throw.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void trainingStepsNeverWaitForTheDevice(Precision precision) {
        Device device = TestDevice.get();
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(100L)
                .withBatchSize(32)
                .withEvalBatchSize(64)
                .withGradClip(1.0)
                .withLogEvery(1000L)
                .withEvalEvery(0L)
                .withCheckpointEvery(0L)
                .withPrecision(precision);
        Engine.seed(3);
        try (MultiTaskModel model = TestDevice.on(MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(32, 32), 0.0), null, null, null),
                        new long[] {8},
                        DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(model, Balancers.equal(3))
                        .spec(spec)
                        .seed(3)
                        .build()) {
            for (int i = 0; i < 3; i++) {
                t.trainStep(train); // lazy initialisation (handles, optimizer state) outside the checked window
            }
            try (PointerScope scope = new PointerScope()) {
                Tensor probe = torch.ones(2).to(device, torch.ScalarType.Float);
                torch_cuda.warning_state().set_sync_debug_mode(torch_cuda.SyncDebugMode.L_ERROR);
                try {
                    // control: the mode does catch a read-back
                    assertThatThrownBy(() -> Tensors.toDoubles(probe))
                            .hasMessageContaining("synchronizing CUDA operation");
                    for (int i = 0; i < 50; i++) {
                        t.trainStep(train);
                    }
                } finally {
                    torch_cuda.warning_state().set_sync_debug_mode(torch_cuda.SyncDebugMode.L_DISABLED);
                }
            }
            assertThat(t.stepsDone()).isEqualTo(53);
        }
    }

    /** Device memory in live tensors is the same after step 120 and step 520 (logs and evaluations in between). */
    @Test
    void deviceMemoryStaysFlat() {
        Device device = TestDevice.get();
        TrainSpec spec = TrainSpec.defaults()
                .withSteps(520L)
                .withBatchSize(32)
                .withEvalBatchSize(64)
                .withGradClip(1.0)
                .withLogEvery(10L)
                .withEvalEvery(100L)
                .withCheckpointEvery(0L);
        Map<Long, Long> allocated = new HashMap<>();
        Engine.seed(4);
        try (MultiTaskModel model = TestDevice.on(MultiTaskModel.build(
                        new ModelSpec(new MlpSpec(List.of(32, 32), 0.0), null, null, null),
                        new long[] {8},
                        DATA.tasks()));
                DeviceData train = new DeviceData(DATA.train(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                DeviceData val = new DeviceData(DATA.val(), DATA.tasks(), TestDevice.spec(), DType.FLOAT32);
                Trainer t = Trainer.builder(
                                model, Balancers.create("uw", Map.of(), dev.mtlj.balance.BalancerContext.of(3, 2)))
                        .spec(spec)
                        .seed(4)
                        .build()) {
            t.fit(train, val, List.of(new TrainingListener() {
                @Override
                public void onStep(StepResult r) {
                    if (r.step() == 119 || r.step() == 519) {
                        allocated.put(r.step(), CudaMemory.allocatedBytes(device));
                    }
                }
            }));
        }
        assertThat(allocated.get(119L)).isPositive();
        assertThat(allocated.get(519L)).isEqualTo(allocated.get(119L));
    }
}
