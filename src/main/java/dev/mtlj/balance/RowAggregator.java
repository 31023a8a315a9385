package dev.mtlj.balance;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A balancer that needs the Jacobian rows themselves, not only their Gramian: element-wise rules (GradDrop) or
 * per-element state (DB-MTL's and MoCo's moving averages, ExcessMTL's accumulators). It runs on the training device
 * with libtorch — the only kind in this package that does.
 *
 * <p>Memory: device state is owned (retained) by the method until {@link #close()}; {@link #combine} returns tensors
 * in the caller's PointerScope. Checkpoints store {@link #tensors()} and restore them with {@link #load}.
 */
@dev.mtlj.NativeApi
public non-sealed interface RowAggregator extends Balancer, AutoCloseable {
    /**
     * What {@link #combine} returns.
     *
     * @param direction   d [P] on the rows' device (caller's scope), canonical scale
     * @param headWeights h: head i receives h_i·∂L_i/∂φ_i
     * @param extras      diagnostics
     */
    record Result(Tensor direction, double[] headWeights, Map<String, Object> extras) {}

    /**
     * Whether the direction is always a combination Jᵀw of this step's rows. The logged weights are the least-squares
     * effective weights w = H⁺(Jd) either way; they are exact only when this holds (otherwise d mixes earlier steps'
     * gradients or is element-wise).
     */
    default boolean combinesRows() {
        return false;
    }

    /** Whether {@link RowInput#losses()} is needed (one device→host copy per step). */
    @Override
    default boolean readsLosses() {
        return false;
    }

    /**
     * Combines the rows.
     *
     * @param rows  J [T, P] (gradients w.r.t. the shared parameters), caller's scope
     * @param input step, epoch and (when {@link #readsLosses()}) the losses
     */
    Result combine(Tensor rows, RowInput input);

    /** Device state to checkpoint (borrowed handles). */
    Map<String, Tensor> tensors();

    /** Restores device state from a checkpoint (copies the given tensors). */
    void load(Map<String, Tensor> tensors);

    @Override
    void close();

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.rowAggregator(this);
    }
}
