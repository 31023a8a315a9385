package dev.mtlj.balance;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** A row aggregator whose device state lives in one {@link DeviceState}: checkpointing and freeing come from here. */
abstract class StatefulRowAggregator implements RowAggregator {
    protected final DeviceState state = new DeviceState();

    @Override
    public Map<String, Tensor> tensors() {
        return state.view();
    }

    @Override
    public void load(Map<String, Tensor> tensors) {
        state.load(tensors);
    }

    @Override
    public void close() {
        state.close();
    }
}
