package dev.mtlj.model;

import dev.mtlj.UserInputException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * CGC and PLE: H. Tang, J. Liu, M. Zhao, X. Gong, "Progressive Layered Extraction (PLE): A Novel Multi-Task Learning
 * (MTL) Model for Personalized Recommendations", RecSys 2020 (docs/methods.md#cgc-and-ple-cgc-ple).
 *
 * <p>L extraction levels; u_k^(0) = u_s^(0) = x. At level l, task k's m_k experts read u_k^(l−1), the m_s shared
 * experts read u_s^(l−1); task k's gate softmax(W_k^(l) u_k^(l−1)) mixes [its experts; the shared experts] into
 * u_k^(l); for l &lt; L a shared gate softmax(W_s^(l) u_s^(l−1)) mixes all experts of the level into u_s^(l). Towers read
 * u_k^(L). L = 1 is CGC. Level-1 experts are instances of the configured backbone (output width h); deeper levels'
 * experts are one-hidden-layer MLPs h → h (our choice; the paper leaves experts open). Gates read flattened inputs.
 *
 * <p>Sharing: {@link #encode} returns the level-L expert stack [B, T·m_k + m_s, h], followed for L ≥ 2 by each task's
 * gate input u_k^(L−1) [B, T, h] — everything the task-specific parts consume — and {@link #route} mixes it per task.
 * Task k's own parameters are its level-L experts and gate; everything else influences several tasks and is shared
 * (the shared gates carry lower levels' task experts into the shared path). Unlike DeepCTR this computes no unused
 * level-L shared gate; unlike LibMTL's PLE it has the shared gate the paper describes.
 */
final class Ple extends Module implements Sharing {
    private final int tasks;
    private final int levels;
    private final int mk;
    private final int ms;
    private final long width;
    /** experts[l][k] for k < T: task k's experts; experts[l][T]: the shared experts. */
    private final List<List<List<Backbone>>> experts = new ArrayList<>();
    /** taskGates[l][k]. */
    private final List<List<LinearImpl>> taskGates = new ArrayList<>();
    /** sharedGates[l] for l < L − 1 (0-based levels). */
    private final List<LinearImpl> sharedGates = new ArrayList<>();

    private final List<Pointer> owned = new ArrayList<>();

    Ple(PleSpec spec, BackboneSpec expert, long[] exampleShape, int tasks) {
        super("Ple");
        this.tasks = tasks;
        this.levels = spec.levels();
        this.mk = spec.taskExperts();
        this.ms = spec.sharedExperts();
        long d = Layers.product(exampleShape);
        long h = -1;
        for (int l = 0; l < levels; l++) {
            List<List<Backbone>> level = new ArrayList<>();
            for (int k = 0; k <= tasks; k++) {
                List<Backbone> group = new ArrayList<>();
                int count = k < tasks ? mk : ms;
                for (int j = 0; j < count; j++) {
                    Backbone b = l == 0
                            ? expert.build(exampleShape)
                            : new MlpSpec(List.of((int) h), 0.0).build(new long[] {h});
                    String name = "l" + l + "_" + (k < tasks ? "task" + k : "shared") + "_e" + j;
                    register_module(name, b.module()).retainReference();
                    group.add(b);
                    h = b.outputShape()[0];
                }
                level.add(group);
            }
            experts.add(level);
        }
        this.width = h;
        try (PointerScope scope = new PointerScope()) {
            for (int l = 0; l < levels; l++) {
                long in = l == 0 ? d : width;
                List<LinearImpl> gates = new ArrayList<>();
                for (int k = 0; k < tasks; k++) {
                    gates.add(register_module("l" + l + "_gate" + k, gate(in, mk + ms, spec.gateBias())));
                }
                taskGates.add(gates);
                if (l < levels - 1) {
                    sharedGates.add(register_module(
                            "l" + l + "_gate_shared", gate(in, (long) tasks * mk + ms, spec.gateBias())));
                }
            }
        }
    }

    private LinearImpl gate(long in, long out, boolean bias) {
        LinearOptions o = new LinearOptions(in, out);
        o.bias().put(bias);
        return Layers.keep(new LinearImpl(o), owned);
    }

    private static Tensor flat(Tensor t) {
        return t.dim() > 2 ? t.flatten(1, -1) : t;
    }

    private static Tensor mix(LinearImpl gate, Tensor gateInput, Tensor stack) {
        return gate.forward(flat(gateInput)).softmax(1).unsqueeze(1).bmm(stack).squeeze(1);
    }

    private void outputs(List<Backbone> group, Tensor in, TensorVector into) {
        for (Backbone e : group) {
            Tensor z = e.forward(in);
            into.push_back(z.dim() > 2 ? z.flatten(1, -1) : z);
        }
    }

    @Override
    public Tensor encode(Tensor x) {
        List<Tensor> u = new ArrayList<>();
        for (int k = 0; k < tasks; k++) {
            u.add(x);
        }
        Tensor shared = x;
        for (int l = 0; l < levels - 1; l++) {
            List<TensorVector> own = new ArrayList<>();
            TensorVector all = new TensorVector();
            for (int k = 0; k < tasks; k++) {
                TensorVector tv = new TensorVector();
                outputs(experts.get(l).get(k), u.get(k), tv);
                own.add(tv);
                for (long j = 0; j < tv.size(); j++) {
                    all.push_back(tv.get(j));
                }
            }
            TensorVector sharedOut = new TensorVector();
            outputs(experts.get(l).get(tasks), shared, sharedOut);
            for (long j = 0; j < sharedOut.size(); j++) {
                all.push_back(sharedOut.get(j));
            }
            List<Tensor> next = new ArrayList<>();
            for (int k = 0; k < tasks; k++) {
                TensorVector mine = new TensorVector();
                for (long j = 0; j < own.get(k).size(); j++) {
                    mine.push_back(own.get(k).get(j));
                }
                for (long j = 0; j < sharedOut.size(); j++) {
                    mine.push_back(sharedOut.get(j));
                }
                next.add(mix(taskGates.get(l).get(k), u.get(k), torch.stack(mine, 1)));
            }
            shared = mix(sharedGates.get(l), shared, torch.stack(all, 1));
            u = next;
        }
        int last = levels - 1;
        TensorVector stack = new TensorVector();
        for (int k = 0; k < tasks; k++) {
            outputs(experts.get(last).get(k), u.get(k), stack);
        }
        outputs(experts.get(last).get(tasks), shared, stack);
        if (levels == 1) {
            return torch.stack(stack, 1);
        }
        for (int k = 0; k < tasks; k++) {
            stack.push_back(u.get(k));
        }
        return torch.stack(stack, 1);
    }

    /** Indices of task k's level-L experts and the shared ones in the stack. */
    private Tensor indices(int k, Tensor like) {
        long[] idx = new long[mk + ms];
        for (int j = 0; j < mk; j++) {
            idx[j] = (long) k * mk + j;
        }
        for (int j = 0; j < ms; j++) {
            idx[mk + j] = (long) tasks * mk + j;
        }
        return dev.mtlj.engine.Tensors.host(idx, idx.length).to(like.device(), torch.ScalarType.Long);
    }

    private Tensor gateInput(Tensor representation, Tensor x, int k) {
        return levels == 1 ? x : representation.select(1, (long) tasks * mk + ms + k);
    }

    @Override
    public List<Tensor> route(Tensor representation, Tensor x) {
        List<Tensor> out = new ArrayList<>(tasks);
        for (int k = 0; k < tasks; k++) {
            Tensor mine = representation.index_select(1, indices(k, representation));
            out.add(mix(taskGates.get(levels - 1).get(k), gateInput(representation, x, k), mine));
        }
        return out;
    }

    @Override
    public List<Tensor> gates(Tensor x) {
        Tensor z = encode(x);
        List<Tensor> out = new ArrayList<>(tasks);
        for (int k = 0; k < tasks; k++) {
            out.add(taskGates
                    .get(levels - 1)
                    .get(k)
                    .forward(flat(gateInput(z, x, k)))
                    .softmax(1));
        }
        return out;
    }

    @Override
    public long[] taskFeatureShape(int task) {
        return new long[] {width};
    }

    @Override
    public TensorVector sharedParameters() {
        TensorVector own = new TensorVector();
        for (int k = 0; k < tasks; k++) {
            TensorVector p = taskParameters(k);
            for (long i = 0; i < p.size(); i++) {
                own.push_back(p.get(i));
            }
        }
        TensorVector all = parameters();
        TensorVector out = new TensorVector();
        for (long i = 0; i < all.size(); i++) {
            boolean taskOwned = false;
            for (long j = 0; j < own.size() && !taskOwned; j++) {
                taskOwned = all.get(i).is_same(own.get(j));
            }
            if (!taskOwned) {
                out.push_back(all.get(i));
            }
        }
        return out;
    }

    @Override
    public TensorVector taskParameters(int task) {
        TensorVector out = taskGates.get(levels - 1).get(task).parameters();
        for (Backbone e : experts.get(levels - 1).get(task)) {
            TensorVector p = e.module().parameters();
            for (long i = 0; i < p.size(); i++) {
                out.push_back(p.get(i));
            }
        }
        return out;
    }

    @Override
    public Tensor lastSharedWeight() {
        throw new UserInputException(
                "the cgc/ple architectures have no single last shared layer, which GradNorm's gradient"
                        + " norms need; use another balancer");
    }

    @Override
    public void close() {
        for (List<List<Backbone>> level : experts) {
            for (List<Backbone> group : level) {
                for (Backbone b : group) {
                    ((Module) b).close();
                }
            }
        }
        Layers.closeAll(owned);
        super.close();
    }
}
