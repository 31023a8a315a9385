package dev.mtlj.model;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * How tasks share: the seam between the backbone and the task heads.
 *
 * <p>Call order per batch: {@link #encode} once, then {@link #route} with its result. The split lets the
 * trainer differentiate task losses with respect to the shared representation (the "UB" gradient methods)
 * by detaching between the two calls. Parameters returned by {@link #sharedParameters()} are those that at
 * least two task losses depend on; the rest belong to single tasks.
 */
@dev.mtlj.NativeApi
public interface Sharing {
    /** The shared representation Z of a batch. */
    Tensor encode(Tensor x);

    /** One head input per task (in task order), computed from Z (and the raw batch, for input-driven gates). */
    List<Tensor> route(Tensor representation, Tensor x);

    /** Per-example shape of task {@code task}'s head input. */
    long[] taskFeatureShape(int task);

    /** Parameters shared by several tasks (new vector of borrowed parameter handles; caller's scope). */
    TensorVector sharedParameters();

    /**
     * Whether task gradients w.r.t. {@link #encode}'s output, followed by one backward through it, reach every shared
     * parameter (false when shared modules act after {@link #encode}, as MTAN's f^(j) do).
     */
    default boolean supportsRepresentationGradients() {
        return true;
    }

    /** Gated architectures: each task's gate distribution over experts for a batch, [B, n] each; otherwise empty. */
    default List<Tensor> gates(Tensor x) {
        return List.of();
    }

    /** Parameters of the architecture that belong to task {@code task} alone, e.g. its gate (caller's scope). */
    default TensorVector taskParameters(int task) {
        return new TensorVector();
    }

    /**
     * The weight GradNorm balances on: the last layer every task passes through (borrowed). Architectures without a
     * single such layer throw {@link dev.mtlj.UserInputException} naming why.
     */
    Tensor lastSharedWeight();
}
