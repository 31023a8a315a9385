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
 * MMoE: J. Ma, Z. Zhao, X. Yi, J. Chen, L. Hong, E. H. Chi, "Modeling Task Relationships in Multi-task Learning with
 * Multi-gate Mixture-of-Experts", KDD 2018.
 *
 * <p>n experts f_e (each an instance of the configured backbone, [B, ...] → [B, h]); per task k a gate
 * G_k(x) = softmax(W_k x) with W_k ∈ R^{n×d} on the flattened raw input (d = its size; bias optional, the paper has
 * none); task input z_k = Σ_e G_k(x)_e f_e(x). Shapes: expert stack Z [B, n, h] ({@link #encode}), gate [B, n] (rows on
 * the simplex), z_k [B, h] ({@link #route}). Shared parameters = the experts; task k's own = gate k (and its head).
 * Parameters: n·|f_e| + T·n·(d [+ 1]). With n = 1 every gate is identically 1 and this is hard sharing with that
 * expert as the trunk. Owned by the registering {@link MultiTaskModel}.
 */
final class Mmoe extends Module implements Sharing {
    private final List<Backbone> experts = new ArrayList<>();
    private final List<LinearImpl> gates = new ArrayList<>();
    private final List<Pointer> owned = new ArrayList<>();
    private final long[] expertShape;

    Mmoe(MmoeSpec spec, BackboneSpec expert, long[] exampleShape, int tasks) {
        super("Mmoe");
        long d = Layers.product(exampleShape);
        for (int e = 0; e < spec.experts(); e++) {
            Backbone b = expert.build(exampleShape);
            register_module("expert" + e, b.module()).retainReference();
            experts.add(b);
        }
        expertShape = experts.get(0).outputShape();
        try (PointerScope scope = new PointerScope()) {
            for (int k = 0; k < tasks; k++) {
                LinearOptions o = new LinearOptions(d, spec.experts());
                o.bias().put(spec.gateBias());
                LinearImpl g = Layers.keep(new LinearImpl(o), owned);
                gates.add(register_module("gate" + k, g));
            }
        }
    }

    /** [B, ...] → expert stack [B, n, h]. */
    @Override
    public Tensor encode(Tensor x) {
        TensorVector outs = new TensorVector();
        for (Backbone e : experts) {
            Tensor z = e.forward(x);
            outs.push_back(z.dim() > 2 ? z.flatten(1, -1) : z);
        }
        return torch.stack(outs, 1);
    }

    /** The gate distributions G_k(x), [B, n] each, in task order. */
    @Override
    public List<Tensor> gates(Tensor x) {
        Tensor flat = x.dim() > 2 ? x.flatten(1, -1) : x;
        List<Tensor> out = new ArrayList<>(gates.size());
        for (LinearImpl g : gates) {
            out.add(g.forward(flat).softmax(1));
        }
        return out;
    }

    @Override
    public List<Tensor> route(Tensor representation, Tensor x) {
        List<Tensor> out = new ArrayList<>(gates.size());
        for (Tensor g : gates(x)) {
            out.add(g.unsqueeze(1).bmm(representation).squeeze(1)); // [B,1,n]·[B,n,h] → [B,h]
        }
        return out;
    }

    @Override
    public long[] taskFeatureShape(int task) {
        return new long[] {Layers.product(expertShape)};
    }

    @Override
    public TensorVector sharedParameters() {
        TensorVector all = new TensorVector();
        for (Backbone e : experts) {
            TensorVector ps = e.module().parameters();
            for (long i = 0; i < ps.size(); i++) {
                all.push_back(ps.get(i));
            }
        }
        return all;
    }

    @Override
    public TensorVector taskParameters(int task) {
        return gates.get(task).parameters();
    }

    @Override
    public Tensor lastSharedWeight() {
        if (experts.size() == 1) {
            return experts.get(0).lastLayerWeight();
        }
        throw new UserInputException(
                "the mmoe architecture has " + experts.size() + " experts and no single last shared layer,"
                        + " which GradNorm's gradient norms need; use another balancer or experts: 1");
    }

    @Override
    public void close() {
        for (Backbone e : experts) {
            ((Module) e).close();
        }
        Layers.closeAll(owned);
        super.close();
    }
}
