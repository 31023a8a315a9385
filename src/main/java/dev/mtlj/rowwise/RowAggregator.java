package dev.mtlj.rowwise;

import dev.mtlj.balance.Balance;
import dev.mtlj.balance.BalanceInput;
import dev.mtlj.balance.LossBalancer;
import dev.mtlj.balance.Need;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A gradient method that needs the Jacobian rows themselves, not only their Gramian: element-wise rules
 * (GradDrop) or per-element state (DB-MTL's and MoCo's moving averages, ExcessMTL's accumulators). Declares
 * {@link Need#JACOBIAN}; the trainer then calls {@link #combine} instead of {@link #balance}.
 *
 * <p>Memory: device state is owned (retained) by the aggregator until {@link #close()}; {@link #combine} returns a
 * direction in the caller's PointerScope. Checkpoints store {@link #tensors()} and restore with {@link #load}.
 */
public interface RowAggregator extends LossBalancer, AutoCloseable {
    /**
     * What {@link #combine} returns.
     *
     * @param direction   d [P] on the rows' device (caller's scope)
     * @param headWeights h: head i receives h_i·∂L_i/∂φ_i
     * @param extras      diagnostics
     */
    record Result(Tensor direction, double[] headWeights, Map<String, Object> extras) {}

    /**
     * Combines the rows.
     *
     * @param rows  J [T, P] (gradients w.r.t. the shared parameters), caller's scope
     * @param input step, epoch, losses (when {@link Need#LOSS_VALUES} is declared), Gramian of the rows
     */
    Result combine(Tensor rows, BalanceInput input);

    /** Not used: row aggregators are driven through {@link #combine}. */
    @Override
    default Balance balance(BalanceInput input) {
        throw new UnsupportedOperationException(name() + " works on Jacobian rows: call combine(rows, input)");
    }

    /** Device state to checkpoint (borrowed handles). */
    Map<String, Tensor> tensors();

    /** Restores device state from a checkpoint (copies the given tensors). */
    void load(Map<String, Tensor> tensors);

    @Override
    void close();
}
