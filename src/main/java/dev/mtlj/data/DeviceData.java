package dev.mtlj.data;

import dev.mtlj.NativeApi;
import dev.mtlj.engine.DType;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A {@link MultiTaskData} copied once onto the training device, so batches are gathered there
 * ({@code index_select}) instead of being copied from the heap every step.
 *
 * <p>Owns its tensors (retained, outside any step scope) until {@link #close()}. {@link #batch} and
 * {@link #slice} return tensors owned by the caller's PointerScope.
 */
public final class DeviceData implements AutoCloseable {
    private final Tensor inputs;
    private final List<Tensor> targets = new ArrayList<>();
    private final List<Tensor> masks = new ArrayList<>();
    private final List<boolean[]> present = new ArrayList<>();
    private final int size;
    private final Device device;
    private final DeviceSpec deviceSpec;
    private boolean closed;

    /**
     * Copies {@code data}'s examples and the labels of {@code tasks} onto {@code device}: inputs and regression/binary
     * targets in {@code dtype}, class indices as int64.
     */
    public DeviceData(MultiTaskData data, List<TaskSpec> tasks, DeviceSpec deviceSpec, DType dataType) {
        this.size = data.size();
        this.device = Engine.device(deviceSpec);
        this.deviceSpec = Engine.resolve(deviceSpec);
        torch.ScalarType dtype = dataType.scalarType();
        long[] shape = new long[data.exampleShape().length + 1];
        shape[0] = size;
        for (int i = 0; i < data.exampleShape().length; i++) {
            shape[i + 1] = data.exampleShape()[i];
        }
        inputs = onDevice(Tensors.host(data.features(), shape), dtype);
        for (TaskSpec t : tasks) {
            TaskLabels l = data.labels().get(t.name());
            Tensor host = t.kind() == TaskKind.REGRESSION
                    ? Tensors.host(l.values(), size, l.width())
                    : Tensors.host(l.values(), size);
            torch.ScalarType type = t.kind() == TaskKind.CLASSIFICATION ? torch.ScalarType.Long : dtype;
            boolean[] rows = new boolean[size];
            float[] mask = new float[size];
            boolean complete = true;
            for (int r = 0; r < size; r++) {
                rows[r] = l.present(r);
                mask[r] = rows[r] ? 1f : 0f;
                complete &= rows[r];
            }
            if (!complete && t.kind() == TaskKind.CLASSIFICATION) {
                Tensor marked = host.nan_to_num(new DoubleOptional(-1.0), new DoubleOptional(), new DoubleOptional());
                host.close();
                host = marked; // −1 (missing) survives the cast to int64
            }
            targets.add(onDevice(host, type));
            masks.add(complete ? null : onDevice(Tensors.host(mask, size), dtype));
            present.add(complete ? null : rows);
        }
    }

    private Tensor onDevice(Tensor host, torch.ScalarType type) {
        // copy=true: on the CPU a same-dtype to() would return an alias of the temporary host tensor
        Tensor t = host.to(device, type, false, true, new MemoryFormatOptional());
        t.retainReference();
        host.close();
        return t;
    }

    /** The device holding the data. */
    public DeviceSpec deviceSpec() {
        return deviceSpec;
    }

    /** The libtorch device holding the data (borrowed, process-wide). */
    @NativeApi
    public Device device() {
        return device;
    }

    /** The rows that carry a label of task {@code k} (task order of the constructor). */
    public int[] labelledRows(int k) {
        boolean[] p = present.get(k);
        return java.util.stream.IntStream.range(0, size)
                .filter(i -> p == null || p[i])
                .toArray();
    }

    /** Per task, how many of {@code indices} carry its label (host only, no device work). */
    public int[] labelledCounts(int[] indices) {
        int[] counts = new int[present.size()];
        for (int k = 0; k < counts.length; k++) {
            boolean[] p = present.get(k);
            if (p == null) {
                counts[k] = indices.length;
                continue;
            }
            for (int i : indices) {
                counts[k] += p[i] ? 1 : 0;
            }
        }
        return counts;
    }

    /** Number of examples. */
    public int size() {
        return size;
    }

    /** The rows at {@code indices}, gathered on the device (caller's scope). */
    @NativeApi
    public Batch batch(int[] indices) {
        check();
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indices[i];
        }
        Tensor index = Tensors.upload(Tensors.host(idx, idx.length), device, torch.ScalarType.Long);
        List<Tensor> ys = new ArrayList<>(targets.size());
        List<Tensor> ms = new ArrayList<>(targets.size());
        int[] labelled = new int[targets.size()];
        for (int k = 0; k < targets.size(); k++) {
            ys.add(targets.get(k).index_select(0, index));
            ms.add(masks.get(k) == null ? null : masks.get(k).index_select(0, index));
            boolean[] p = present.get(k);
            if (p == null) {
                labelled[k] = indices.length;
                continue;
            }
            for (int i : indices) {
                labelled[k] += p[i] ? 1 : 0;
            }
        }
        return new Batch(inputs.index_select(0, index), ys, ms, labelled, indices.length);
    }

    /** Rows [from, to) as views (no copy; caller's scope). */
    @NativeApi
    public Batch slice(int from, int to) {
        check();
        List<Tensor> ys = new ArrayList<>(targets.size());
        List<Tensor> ms = new ArrayList<>(targets.size());
        int[] labelled = new int[targets.size()];
        for (int k = 0; k < targets.size(); k++) {
            ys.add(targets.get(k).narrow(0, from, to - from));
            ms.add(masks.get(k) == null ? null : masks.get(k).narrow(0, from, to - from));
            boolean[] p = present.get(k);
            labelled[k] = to - from;
            for (int i = from; p != null && i < to; i++) {
                labelled[k] -= p[i] ? 0 : 1;
            }
        }
        return new Batch(inputs.narrow(0, from, to - from), ys, ms, labelled, to - from);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("DeviceData is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inputs.close();
            targets.forEach(Tensor::close);
            masks.forEach(m -> {
                if (m != null) {
                    m.close();
                }
            });
        }
    }
}
