package dev.mtlj.train;

import dev.mtlj.model.MultiTaskNetwork;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorVector;

/**
 * The parameter sets a step works on, fixed when training starts (after freezing): every trainable parameter (the
 * optimizer's), the trainable shared parameters (the Jacobian's columns) and each task's own trainable parameters (its
 * head and, e.g., its gate). Owns the retained vectors; the parameters themselves are the model's.
 */
final class StepParameters implements AutoCloseable {
    final TensorVector trainable;
    final TensorVector shared;
    final List<TensorVector> tasks = new ArrayList<>();

    StepParameters(MultiTaskNetwork network, int taskCount) {
        try (PointerScope scope = new PointerScope()) {
            trainable = network.trainableParameters().retainReference();
            shared = requiringGrad(network.sharedParameters()).retainReference();
            for (int i = 0; i < taskCount; i++) {
                tasks.add(requiringGrad(network.taskParameters(i)).retainReference());
            }
        }
    }

    private static TensorVector requiringGrad(TensorVector ps) {
        TensorVector out = new TensorVector();
        for (long i = 0; i < ps.size(); i++) {
            if (ps.get(i).requires_grad()) {
                out.push_back(ps.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() {
        trainable.close();
        shared.close();
        tasks.forEach(TensorVector::close);
    }
}
