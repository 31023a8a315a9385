package dev.mtlj.serve;

import dev.mtlj.model.ModelSignature;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A loaded multi-head network as a {@link Predictor} drives it: one forward pass gives every task's raw head output.
 * Implementations own their native module until {@link #close()}; {@link #forward} may be called from many threads
 * at once (eval mode, no state written), each inside its own inference guard and PointerScope.
 */
interface Network extends AutoCloseable {
    ModelSignature signature();

    /** The dtype inputs must have. */
    torch.ScalarType dtype();

    /** Where the model came from: {@code mtlj} (a checkpoint) or {@code torchscript}. */
    String platform();

    /** Raw head outputs, one {@code [B, width]} tensor per task in signature order (caller's scope). */
    List<Tensor> forward(Tensor x);

    @Override
    void close();
}
