package dev.mtlj.bench.micro;

import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one libtorch call costs from Java, beside what the same call costs in C++ (see the results file): an op on
 * a one-element tensor (almost all of it dispatch, allocation and the JNI crossing), the PointerScope around it,
 * a tensor made from a Java array (the balancer weights each step), a 4-number read-back, and a Scalar argument.
 * One libtorch thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeCalls {
    private Tensor a;
    private Tensor b;
    private Tensor four;
    private Device cpu;
    private final double[] weights = {1, 1, 1, 1};

    @Setup(Level.Trial)
    public void setUp() {
        Engine.configureThreads(1);
        cpu = Engine.cpu();
        a = torch.ones(1);
        b = torch.ones(1);
        four = torch.ones(4).to(torch.ScalarType.Double);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        four.close();
    }

    /** An empty scope: the per-step bookkeeping floor. */
    @Benchmark
    public void emptyScope() {
        try (PointerScope s = new PointerScope()) {
            // nothing: what opening and closing a scope costs
        }
    }

    /** {@code a + b} on one element, its result freed by the scope. */
    @Benchmark
    public long addInScope() {
        try (PointerScope s = new PointerScope()) {
            return a.add(b).address();
        }
    }

    /** Ten chained adds in one scope: the per-op cost once the scope is amortised. */
    @Benchmark
    public long tenAddsInScope() {
        try (PointerScope s = new PointerScope()) {
            Tensor t = a;
            for (int i = 0; i < 10; i++) {
                t = t.add(b);
            }
            return t.address();
        }
    }

    /** {@code a * 0.5} with a Java-made Scalar (two native objects per call). */
    @Benchmark
    public long mulScalarInScope() {
        try (PointerScope s = new PointerScope()) {
            return a.mul(new Scalar(0.5)).address();
        }
    }

    /** A 4-element tensor from a Java array (as the trainer uploads task weights each step). */
    @Benchmark
    public long tensorFromArray() {
        try (PointerScope s = new PointerScope()) {
            return Tensors.vector(weights, cpu, torch.ScalarType.Float).address();
        }
    }

    /** A 4-element double tensor read back into a Java array (as loss values are). */
    @Benchmark
    public double[] readBack() {
        try (PointerScope s = new PointerScope()) {
            return Tensors.toDoubles(four);
        }
    }
}
