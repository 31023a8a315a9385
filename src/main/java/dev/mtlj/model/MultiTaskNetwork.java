package dev.mtlj.model;

import dev.mtlj.NativeApi;
import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The libtorch module behind a {@link MultiTaskModel}: the architecture's {@link Trunk} and one {@link TaskHead} per
 * task. This is where training, evaluation, serving and checkpoints meet libtorch; users work with
 * {@link MultiTaskModel}.
 *
 * <p>Ownership: owns its trunk and heads (parameters, buffers) until {@link #close()}. Tensors returned by
 * {@link #forward} belong to the caller's scope. Parameter names: {@code <trunk name>.*} (e.g. {@code backbone.*},
 * {@code mmoe.expert<e>.*}) and {@code head_<task>.*}.
 */
@NativeApi
public final class MultiTaskNetwork extends Module {
    private final List<TaskSpec> tasks;
    private final Module trunk;
    private final Sharing sharing;
    private final List<TaskHead> heads = new ArrayList<>();
    private boolean closed;

    MultiTaskNetwork(ModelSpec spec, long[] exampleShape, List<TaskSpec> tasks) {
        super("MultiTaskModel");
        this.tasks = List.copyOf(tasks);
        Trunk t = spec.architecture().build(spec.backbone(), exampleShape, tasks.size());
        this.trunk = register_module(t.name(), t.module()).retainReference();
        this.sharing = t.sharing();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec task = tasks.get(i);
            long features = Layers.product(sharing.taskFeatureShape(i));
            TaskHead head = new TaskHead(spec.headFor(task.name()), features, task.outputs());
            heads.add(register_module("head_" + task.name(), head).retainReference());
        }
    }

    /** Task outputs, in task order: [B, outputs_i] each. */
    public List<Tensor> forward(Tensor x) {
        check();
        return heads(sharing.encode(x), x);
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

    /** Freezes or unfreezes a part ({@link MultiTaskModel#setFrozen}). */
    void setFrozen(String part, boolean frozen) {
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

    private int taskIndex(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Number of scalars in a parameter vector. */
    static long count(TensorVector ps) {
        long n = 0;
        for (long i = 0; i < ps.size(); i++) {
            n += ps.get(i).numel();
        }
        return n;
    }

    /** Throws {@link IllegalStateException} once closed. */
    void check() {
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
