package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.checkpoint.TrainerState;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.engine.Engine;
import dev.mtlj.engine.Tensors;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.task.TaskKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs a trained multi-head model for inference: every task's prediction from one forward pass.
 *
 * <p>Opens an mtlj checkpoint (a {@code .ckpt} file or a run directory: its best, else latest, checkpoint; the model
 * is rebuilt from the config and signature stored inside) or a TorchScript multi-head model exported from Python
 * (see {@link PredictorOptions#signature()}). Thread-safe: any number of threads may call {@link #predict} at once;
 * each call runs in inference mode (no autograd) inside its own PointerScope, so nothing native outlives it, and
 * returns plain Java values ({@link Predictions}). The predictor owns the model; {@link #close()} waits for calls
 * in flight, then frees it; later calls throw {@link IllegalStateException}.
 */
public final class Predictor implements AutoCloseable, BatchModel {
    private final Network net;
    private final Device device;
    private final String source;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private Predictor(Network net, Device device, String source) {
        this.net = net;
        this.device = device;
        this.source = source;
    }

    /** Opens {@code path} on device {@code auto}. */
    public static Predictor open(Path path) {
        return open(path, PredictorOptions.defaults());
    }

    /** Opens a checkpoint, run directory or TorchScript file; bad paths and files are {@link UserInputException}s. */
    public static Predictor open(Path path, PredictorOptions options) {
        if (!Files.exists(path)) {
            throw new UserInputException("model path '" + path
                    + "' does not exist (give a run directory, a .ckpt checkpoint" + " or a TorchScript .pt file)");
        }
        Device device = Engine.device(DeviceSpec.parse(options.device()));
        Path file = Files.isDirectory(path) ? CheckpointFile.resolve(path) : path;
        TrainerState state = null;
        if (file.getFileName().toString().endsWith(".ckpt") || Files.isDirectory(path)) {
            state = CheckpointFile.readState(file);
        } else {
            try {
                state = CheckpointFile.readState(file);
            } catch (UserInputException notACheckpoint) {
                // not an mtlj checkpoint: a TorchScript model then
            }
        }
        Network net = state != null
                ? CheckpointNetwork.open(file, state, device)
                : ScriptNetwork.open(file, options.signature(), device);
        return new Predictor(net, device, file.toString());
    }

    /** What the model takes and gives. */
    public ModelSignature signature() {
        return net.signature();
    }

    /** {@code mtlj} for checkpoints, {@code torchscript} for exported models. */
    public String platform() {
        return net.platform();
    }

    /** The file the model was loaded from. */
    public String source() {
        return source;
    }

    /** The device the model runs on, e.g. {@code cpu} or {@code cuda:0}. */
    public String device() {
        try (PointerScope scope = new PointerScope()) {
            return device.str().getString();
        }
    }

    /** Every task's output for one example (its values flattened row-major, {@link ModelSignature#exampleSize()} long). */
    public Predictions predictOne(float[] example) {
        return predict(example, 1, null);
    }

    /** Every task's output for a batch, one array per example. */
    public Predictions predict(float[][] batch) {
        long size = signature().exampleSize();
        float[] flat = new float[Math.multiplyExact(batch.length, (int) size)];
        for (int i = 0; i < batch.length; i++) {
            if (batch[i].length != size) {
                throw new UserInputException(
                        "example " + i + " has " + batch[i].length + " values; the model takes " + size + " (shape "
                                + java.util.Arrays.toString(signature().inputShape()) + ")");
            }
            System.arraycopy(batch[i], 0, flat, (int) (i * size), (int) size);
        }
        return predict(flat, batch.length, null);
    }

    /**
     * The outputs of {@code tasks} (null or empty: every task) for {@code rows} examples given row-major in
     * {@code flat}. Wrong sizes, non-finite values and unknown tasks are {@link UserInputException}s.
     */
    @Override
    public Predictions predict(float[] flat, int rows, Collection<String> tasks) {
        check(flat, rows, tasks);
        List<Integer> wanted = selected(signature(), tasks);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("predictor for '" + source + "' is closed");
            }
            return run(signature(), flat, rows, wanted);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Throws a {@link UserInputException} naming what is wrong with the sizes, values or task names. */
    @Override
    public void check(float[] flat, int rows, Collection<String> tasks) {
        ModelSignature sig = signature();
        long size = sig.exampleSize();
        if (rows < 1 || flat.length != rows * size) {
            throw new UserInputException(flat.length + " input values for " + rows + " example(s); the model takes "
                    + size + " per example (shape " + java.util.Arrays.toString(sig.inputShape()) + ")");
        }
        for (int i = 0; i < flat.length; i++) {
            if (!Float.isFinite(flat[i])) {
                throw new UserInputException("input value " + (i % size) + " of example " + (i / size) + " is "
                        + flat[i] + "; values must be finite");
            }
        }
        selected(sig, tasks);
    }

    private static List<Integer> selected(ModelSignature sig, Collection<String> tasks) {
        List<Integer> out = new ArrayList<>();
        if (tasks == null || tasks.isEmpty()) {
            for (int i = 0; i < sig.tasks().size(); i++) {
                out.add(i);
            }
            return out;
        }
        for (String t : tasks) {
            int i = sig.taskIndex(t);
            if (i < 0) {
                throw new UserInputException("task '" + t + "' is not an output of this model; tasks: "
                        + sig.tasks().stream().map(ModelSignature.Task::name).toList());
            }
            if (!out.contains(i)) {
                out.add(i);
            }
        }
        out.sort(Integer::compare);
        return out;
    }

    private Predictions run(ModelSignature sig, float[] flat, int rows, List<Integer> wanted) {
        long[] shape = new long[sig.inputShape().length + 1];
        shape[0] = rows;
        System.arraycopy(sig.inputShape(), 0, shape, 1, shape.length - 1);
        float[] host;
        Engine.adoptThreads();
        try (InferenceMode guard = new InferenceMode();
                PointerScope scope = new PointerScope()) {
            Tensor x = Tensors.upload(Tensors.host(flat, shape), device, net.dtype());
            List<Tensor> outs = net.forward(x);
            TensorVector parts = new TensorVector();
            for (int i : wanted) {
                Tensor y = outs.get(i).to(torch.ScalarType.Float);
                parts.push_back(
                        switch (sig.tasks().get(i).taskKind()) {
                            case CLASSIFICATION -> y.softmax(1);
                            case BINARY -> y.sigmoid();
                            case REGRESSION -> y;
                        });
            }
            host = Tensors.toFloats(torch.cat(parts, 1)); // one copy to the host for every task
        }
        Map<String, TaskOutput> out = new LinkedHashMap<>();
        int total = host.length / rows;
        int offset = 0;
        for (int i : wanted) {
            ModelSignature.Task t = sig.tasks().get(i);
            int w = t.outputs();
            float[] values = new float[rows * w];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(host, r * total + offset, values, r * w, w);
            }
            out.put(
                    t.name(),
                    new TaskOutput(t.name(), t.taskKind(), rows, w, values, labels(t.taskKind(), values, rows, w)));
            offset += w;
        }
        return new Predictions(rows, out);
    }

    private static int[] labels(TaskKind kind, float[] values, int rows, int width) {
        if (kind == TaskKind.REGRESSION) {
            return null;
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            if (kind == TaskKind.BINARY) {
                labels[r] = values[r] >= 0.5f ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < width; c++) {
                if (values[r * width + c] > values[r * width + best]) {
                    best = c;
                }
            }
            labels[r] = best;
        }
        return labels;
    }

    /** Waits for calls in flight, then frees the model. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                net.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
