package dev.mtlj.model;

import dev.mtlj.NativeApi;
import dev.mtlj.UserInputException;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.task.TaskSpec;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;

/**
 * A multi-task model: one shared trunk (a backbone under a sharing architecture) and one head per task.
 *
 * <p>Built on the CPU in float32; {@link #to} moves it. Ownership: the model owns its parameters and buffers until
 * {@link #close()}; {@link #build} may be called inside a PointerScope, the model survives it. The libtorch module
 * itself is {@link #network()}.
 */
public final class MultiTaskModel implements AutoCloseable {
    private final MultiTaskNetwork network;
    private final long[] exampleShape;
    private final List<TaskSpec> tasks;
    private DeviceSpec device = DeviceSpec.parse("cpu");
    private DType dtype = DType.FLOAT32;

    private MultiTaskModel(MultiTaskNetwork network, long[] exampleShape, List<TaskSpec> tasks) {
        this.network = network;
        this.exampleShape = exampleShape.clone();
        this.tasks = List.copyOf(tasks);
    }

    /**
     * Builds a model for examples of shape {@code exampleShape}. Parameter initialisation draws from libtorch's
     * generator: seed it first ({@link Engine#seed}) for reproducible weights.
     */
    public static MultiTaskModel build(ModelSpec spec, long[] exampleShape, List<TaskSpec> tasks) {
        if (tasks.isEmpty()) {
            throw new UserInputException("a model needs at least one task");
        }
        Set<String> names = new TreeSet<>();
        for (TaskSpec t : tasks) {
            if (!names.add(t.name())) {
                throw new UserInputException("task name '" + t.name() + "' is used twice");
            }
        }
        for (String h : spec.heads().keySet()) {
            if (!names.contains(h)) {
                throw new UserInputException("model.heads names '" + h + "', which is not a task; tasks: " + names);
            }
        }
        try (PointerScope scope = new PointerScope()) {
            return new MultiTaskModel(
                    new MultiTaskNetwork(spec, exampleShape, tasks).retainReference(), exampleShape, tasks);
        } catch (RuntimeException e) {
            String cause = dev.mtlj.engine.NativeErrors.isNative(e) ? dev.mtlj.engine.NativeErrors.cause(e) : "";
            if (cause.contains("can't allocate memory")) { // malloc refused: nothing was taken
                throw new UserInputException(
                        "the model does not fit in memory (" + cause + "); lower the model's"
                                + " sizes (model.backbone, heads, experts)",
                        e);
            }
            throw e;
        }
    }

    /** The tasks, in head order. */
    public List<TaskSpec> tasks() {
        return tasks;
    }

    /** The input shape and tasks this model was built for (stored in checkpoints for serving). */
    public ModelSignature signature() {
        return ModelSignature.of(exampleShape, tasks);
    }

    /** Moves parameters and buffers to a device and dtype, in place ({@code auto} resolves to CUDA when available). */
    public void to(DeviceSpec device, DType dtype) {
        network.check();
        network.to(Engine.device(device), dtype.scalarType(), false);
        this.device = Engine.resolve(device);
        this.dtype = dtype;
    }

    /** The device the parameters are on (never {@code auto}). */
    public DeviceSpec device() {
        return device;
    }

    /** The parameters' dtype. */
    public DType dtype() {
        return dtype;
    }

    /**
     * Freezes (or unfreezes) a part: {@code backbone} (the shared parameters), {@code heads}, or {@code head:<task>}.
     * Frozen parameters get no gradient and are left out of the optimizer.
     */
    public void setFrozen(String part, boolean frozen) {
        network.setFrozen(part, frozen);
    }

    /** Total number of parameter scalars. */
    public long parameterCount() {
        network.check();
        try (PointerScope scope = new PointerScope()) {
            return MultiTaskNetwork.count(network.parameters());
        }
    }

    /** Number of shared parameter scalars (P, the width of the task Jacobian). */
    public long sharedParameterCount() {
        network.check();
        try (PointerScope scope = new PointerScope()) {
            return MultiTaskNetwork.count(network.sharedParameters());
        }
    }

    /** The libtorch module (borrowed; the model owns it). */
    @NativeApi
    public MultiTaskNetwork network() {
        return network;
    }

    /** Frees the parameters now (idempotent); any later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        network.close();
    }
}
