package dev.mtlj.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/** One task's head ({@link HeadSpec}): [B, features] → [B, outputs]. Owned by the registering model. */
final class TaskHead extends Module {
    private final SequentialImpl layers;
    private final List<Pointer> owned = new ArrayList<>();

    public TaskHead(HeadSpec spec, long features, long outputs) {
        super("TaskHead");
        try (PointerScope scope = new PointerScope()) { // frees builder temporaries; the sequential keeps its layers
            SequentialImpl seq = new SequentialImpl();
            Layers.hidden(seq, "", features, spec.hidden(), spec.dropout(), owned);
            long in = spec.hidden().isEmpty()
                    ? features
                    : spec.hidden().get(spec.hidden().size() - 1);
            seq.push_back("out", Layers.keep(new LinearImpl(in, outputs), owned));
            layers = register_module("layers", seq).retainReference();
        }
    }

    @Override
    public void close() {
        layers.close();
        Layers.closeAll(owned);
        super.close();
    }

    /** Heads read flat features: any trailing dimensions are flattened. */
    public Tensor forward(Tensor z) {
        return layers.forward(z.dim() > 2 ? z.flatten(1, -1) : z);
    }
}
