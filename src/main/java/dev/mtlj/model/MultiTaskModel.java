package dev.mtlj.model;

import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * One shared backbone, a {@link Sharing} architecture and one {@link TaskHead} per task.
 *
 * <p>Ownership: the model owns its backbone and heads (parameters, buffers) until {@link #close()};
 * {@link #build} may be called inside a PointerScope, the model survives it. Tensors returned by
 * {@link #forward} belong to the caller's scope. Parameter names: {@code backbone.*} (or {@code mmoe.expert<e>.*},
 * {@code mmoe.gate<k>.*}) and {@code head_<task>.*}. "backbone" in {@link #setFrozen} means the shared parameters.
 */
public final class MultiTaskModel extends Module {
    /** A forward pass that also exposes the shared representation. */
    public record Forward(Tensor representation, List<Tensor> outputs) {}

    private final List<TaskSpec> tasks;
    private final long[] exampleShape;
    private final Module trunk;
    private final Sharing sharing;
    private final List<TaskHead> heads = new ArrayList<>();
    private boolean closed;

    private MultiTaskModel(ModelSpec spec, long[] exampleShape, List<TaskSpec> tasks) {
        super("MultiTaskModel");
        this.tasks = List.copyOf(tasks);
        this.exampleShape = exampleShape.clone();
        if (spec.architecture() instanceof MtanSpec) {
            Mtan mtan = register_module("mtan", new Mtan(spec.backbone(), exampleShape, tasks.size())).retainReference();
            this.trunk = mtan;
            this.sharing = mtan;
        } else if (spec.architecture() instanceof CrossStitchSpec cs) {
            CrossStitch c = register_module("cross_stitch", new CrossStitch(cs, spec.backbone(), exampleShape, tasks.size()))
                    .retainReference();
            this.trunk = c;
            this.sharing = c;
        } else if (spec.architecture() instanceof CgcSpec || spec.architecture() instanceof PleSpec) {
            PleSpec p = spec.architecture() instanceof CgcSpec c ? c.asPle() : (PleSpec) spec.architecture();
            Ple ple = register_module("ple", new Ple(p, spec.backbone(), exampleShape, tasks.size())).retainReference();
            this.trunk = ple;
            this.sharing = ple;
        } else if (spec.architecture() instanceof MmoeSpec m) {
            Mmoe mmoe = register_module("mmoe", new Mmoe(m, spec.backbone(), exampleShape, tasks.size())).retainReference();
            this.trunk = mmoe;
            this.sharing = mmoe;
        } else {
            this.trunk = register_module("backbone", Backbones.create(spec.backbone(), exampleShape)).retainReference();
            this.sharing = new HardSharing((Backbone) trunk, tasks.size());
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            long features = Layers.product(sharing.taskFeatureShape(i));
            TaskHead head = new TaskHead(spec.headFor(t.name()), features, t.outputs());
            heads.add(register_module("head_" + t.name(), head).retainReference());
        }
    }

    /**
     * Builds a model for examples of shape {@code exampleShape} on the CPU in float32 (see {@link #to}).
     * Parameter initialisation draws from libtorch's generator: seed it first for reproducible weights.
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
            return new MultiTaskModel(spec, exampleShape, tasks).retainReference();
        }
    }

    /** Task outputs, in task order: [B, outputs_i] each. */
    public List<Tensor> forward(Tensor x) {
        return forwardWithRepresentation(x).outputs();
    }

    /** Task outputs plus the shared representation they were computed from. */
    public Forward forwardWithRepresentation(Tensor x) {
        check();
        Tensor z = sharing.encode(x);
        return new Forward(z, heads(z, x));
    }

    /** Heads applied to a given representation (e.g. a detached copy of Z); one output per task. */
    public List<Tensor> heads(Tensor representation, Tensor x) {
        check();
        List<Tensor> inputs = sharing.route(representation, x);
        List<Tensor> outs = new ArrayList<>(heads.size());
        for (int i = 0; i < heads.size(); i++) {
            outs.add(heads.get(i).forward(inputs.get(i)));
        }
        return outs;
    }

    public List<TaskSpec> tasks() {
        return tasks;
    }

    /** The input shape and tasks this model was built for (stored in checkpoints for serving). */
    public ModelSignature signature() {
        return ModelSignature.of(exampleShape, tasks);
    }

    /** The architecture seam (borrowed). */
    public Sharing sharing() {
        return sharing;
    }

    /** Parameters shared by the tasks (caller's scope). */
    public TensorVector sharedParameters() {
        check();
        return sharing.sharedParameters();
    }

    /** Parameters that belong to task {@code i} alone: its head and any architecture part of its own, e.g. a gate. */
    public TensorVector taskParameters(int i) {
        check();
        TensorVector out = heads.get(i).parameters();
        TensorVector own = sharing.taskParameters(i);
        for (long k = 0; k < own.size(); k++) {
            out.push_back(own.get(k));
        }
        return out;
    }

    /** Every parameter that currently requires a gradient (caller's scope). */
    public TensorVector trainableParameters() {
        check();
        TensorVector all = parameters();
        TensorVector out = new TensorVector();
        for (long i = 0; i < all.size(); i++) {
            if (all.get(i).requires_grad()) {
                out.push_back(all.get(i));
            }
        }
        return out;
    }

    /**
     * Freezes (or unfreezes) a part: {@code backbone}, {@code heads}, or {@code head:<task>}.
     * Frozen parameters get no gradient and are left out of the optimizer.
     */
    public void setFrozen(String part, boolean frozen) {
        check();
        try (PointerScope scope = new PointerScope()) {
            TensorVector ps;
            if (part.equals("backbone")) {
                ps = sharing.sharedParameters();
            } else if (part.equals("heads")) {
                ps = new TensorVector();
                for (TaskHead h : heads) {
                    TensorVector hp = h.parameters();
                    for (long i = 0; i < hp.size(); i++) {
                        ps.push_back(hp.get(i));
                    }
                }
            } else if (part.startsWith("head:") && taskIndex(part.substring(5)) >= 0) {
                ps = heads.get(taskIndex(part.substring(5))).parameters();
            } else {
                throw new UserInputException("cannot freeze '" + part + "'; allowed: backbone, heads, head:<task> with"
                        + " task one of " + tasks.stream().map(TaskSpec::name).toList());
            }
            for (long i = 0; i < ps.size(); i++) {
                ps.get(i).requires_grad_(!frozen);
            }
        }
    }

    /** Index of a task by name, or -1. */
    public int taskIndex(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Total number of parameter scalars. */
    public long parameterCount() {
        check();
        try (PointerScope scope = new PointerScope()) {
            return count(parameters());
        }
    }

    /** Number of shared parameter scalars (P, the width of the task Jacobian). */
    public long sharedParameterCount() {
        check();
        try (PointerScope scope = new PointerScope()) {
            return count(sharedParameters());
        }
    }

    /** Moves parameters and buffers to a device and dtype, in place. */
    public void to(Device device, torch.ScalarType dtype) {
        check();
        to(device, dtype, false);
    }

    private static long count(TensorVector ps) {
        long n = 0;
        for (long i = 0; i < ps.size(); i++) {
            n += ps.get(i).numel();
        }
        return n;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("MultiTaskModel is closed");
        }
    }

    /** Frees the parameters now (idempotent); any later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            heads.forEach(TaskHead::close);
            trunk.close();
            super.close();
        }
    }
}
