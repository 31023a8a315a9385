package dev.mtlj.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.engine.NativeErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * One checkpoint file: a libtorch archive with entries {@code model}, {@code optimizer} (optional), {@code state} (the
 * {@link TrainerState} as UTF-8 JSON bytes) and {@code balancer_tensors} (optional), sealed with its SHA-256
 * ({@link Checksum}). Saving is atomic ({@link AtomicFiles}) and I/O errors surface as {@link IOException}s (libtorch
 * only ever writes into a {@link ChannelWriter}); every load verifies the digest first, so a damaged file is refused by
 * name before libtorch parses a byte of it. Every native temporary lives in a PointerScope local to the call.
 */
@dev.mtlj.NativeApi
public final class CheckpointFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {}

    /** Saves atomically; {@code optimizer} may be null (weights-only export). */
    public static void save(Path target, Module model, Optimizer optimizer, TrainerState state) throws IOException {
        save(target, model, optimizer, state, Map.of(), AtomicFiles::write);
    }

    /** As above, plus named tensors of the balancer's device state (entry {@code balancer_tensors}). */
    public static void save(
            Path target, Module model, Optimizer optimizer, TrainerState state, Map<String, Tensor> tensors)
            throws IOException {
        save(target, model, optimizer, state, tensors, AtomicFiles::write);
    }

    /** The balancer's device tensors stored in a checkpoint (caller's scope; empty if none). */
    public static Map<String, Tensor> readTensors(Path path, Device device) {
        InputArchive in = open(path, device);
        InputArchive nested = new InputArchive();
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (!in.try_read("balancer_tensors", nested)) {
            return out;
        }
        org.bytedeco.pytorch.StringVector keys = nested.keys();
        for (long i = 0; i < keys.size(); i++) {
            String k = keys.get(i).getString();
            Tensor t = new Tensor();
            nested.read(k, t);
            out.put(k, t);
        }
        return out;
    }

    /** As {@link #save(Path, Module, Optimizer, TrainerState)}, through a given atomic writer (tests inject faults). */
    static void save(Path target, Module model, Optimizer optimizer, TrainerState state, Saver saver)
            throws IOException {
        save(target, model, optimizer, state, Map.of(), saver);
    }

    private static void save(
            Path target,
            Module model,
            Optimizer optimizer,
            TrainerState state,
            Map<String, Tensor> tensors,
            Saver saver)
            throws IOException {
        byte[] json = JSON.writeValueAsBytes(state);
        saver.save(target, tmp -> {
            MessageDigest sha = Checksum.sha256();
            try (FileChannel ch = FileChannel.open(
                            tmp,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    PointerScope scope = new PointerScope()) {
                OutputArchive root = new OutputArchive();
                OutputArchive m = new OutputArchive();
                model.save(m);
                root.write("model", m);
                if (optimizer != null) {
                    OutputArchive o = new OutputArchive();
                    optimizer.save(o);
                    root.write("optimizer", o);
                }
                root.write("state", Tensor.create(json, (long) json.length));
                if (!tensors.isEmpty()) {
                    OutputArchive b = new OutputArchive();
                    tensors.forEach(b::write);
                    root.write("balancer_tensors", b);
                }
                ChannelWriter writer = new ChannelWriter(ch, sha);
                try {
                    root.save_to(writer);
                } catch (RuntimeException e) {
                    throw new IOException("could not write checkpoint " + target + ": " + NativeErrors.cause(e), e);
                }
                writer.rethrow();
                Checksum.seal(ch, sha);
            }
        });
    }

    /** The atomic write step, replaceable in tests. */
    @FunctionalInterface
    interface Saver {
        void save(Path target, AtomicFiles.Writer writer) throws IOException;
    }

    /**
     * The checkpoint a path names: the file itself, or in a run directory {@code checkpoints/best.ckpt} when
     * early stopping kept one, else {@code checkpoints/latest.ckpt}.
     */
    public static Path resolve(Path fileOrRunDir) {
        Path c = fileOrRunDir;
        if (Files.isDirectory(fileOrRunDir)) {
            Path best = fileOrRunDir.resolve("checkpoints").resolve("best.ckpt");
            c = Files.exists(best) ? best : fileOrRunDir.resolve("checkpoints").resolve("latest.ckpt");
        }
        if (!Files.isRegularFile(c)) {
            throw new UserInputException("no checkpoint at '" + c + "' (give a run directory or a .ckpt file)");
        }
        return c;
    }

    /** Reads only the trainer state (cheap; used to rebuild the model before loading weights). */
    public static TrainerState readState(Path path) {
        try (PointerScope scope = new PointerScope()) {
            InputArchive in = open(path, null);
            Tensor t = new Tensor();
            in.read("state", t);
            Tensor host = t.contiguous();
            byte[] bytes = new byte[(int) host.numel()];
            new BytePointer(host.data_ptr()).get(bytes);
            return JSON.readValue(new String(bytes, StandardCharsets.UTF_8), TrainerState.class);
        } catch (IOException e) {
            throw new UserInputException(
                    "checkpoint '" + path + "' is not a readable mtlj checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (!NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException(
                    "checkpoint '" + path + "' is not a readable mtlj checkpoint: " + NativeErrors.cause(e), e);
        }
    }

    /**
     * Loads weights (and optimizer state when {@code optimizer} is non-null) onto {@code device}. Parameter and
     * buffer shapes are checked: libtorch itself would silently adopt a wrong shape.
     */
    public static void load(Path path, Module model, Optimizer optimizer, Device device) {
        try (PointerScope scope = new PointerScope()) {
            Map<String, String> before = shapes(model);
            InputArchive in = open(path, device);
            InputArchive m = new InputArchive();
            in.read("model", m);
            model.load(m);
            Map<String, String> after = shapes(model);
            for (Map.Entry<String, String> e : before.entrySet()) {
                if (!e.getValue().equals(after.get(e.getKey()))) {
                    throw new UserInputException(
                            "checkpoint '" + path + "' does not fit this model: '" + e.getKey() + "' has shape "
                                    + after.get(e.getKey()) + " in the checkpoint, the model expects " + e.getValue());
                }
            }
            if (optimizer != null) {
                InputArchive o = new InputArchive();
                in.read("optimizer", o);
                optimizer.load(o);
            }
        } catch (RuntimeException e) {
            if (!NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException(
                    "checkpoint '" + path + "' could not be loaded into this model: " + NativeErrors.cause(e), e);
        }
    }

    private static volatile boolean allowUnsealed;

    /**
     * Whether this process loads checkpoints that carry no checksum (written before checksums existed, or with the seal
     * removed); off unless the user asks by name ({@code --allow-unsealed}). A loaded unsealed file is logged.
     */
    public static void allowUnsealed(boolean allow) {
        allowUnsealed = allow;
    }

    /**
     * Opens {@code path}'s archive from its verified bytes: the digest is checked on every load, on the very bytes libtorch
     * then parses (they live in the caller's PointerScope).
     */
    private static InputArchive open(Path path, Device device) {
        if (!Files.isRegularFile(path)) {
            throw new UserInputException("checkpoint '" + path + "' does not exist or is not a file");
        }
        BytePointer bytes = Checksum.readVerified(path, allowUnsealed);
        InputArchive in = new InputArchive();
        if (device == null) {
            in.load_from(bytes, bytes.capacity());
        } else {
            in.load_from(bytes, bytes.capacity(), new DeviceOptional(device));
        }
        return in;
    }

    private static Map<String, String> shapes(Module model) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StringTensorDict d : new StringTensorDict[] {model.named_parameters(), model.named_buffers()}) {
            for (long i = 0; i < d.size(); i++) {
                out.put(
                        d.get(i).key().getString(),
                        Arrays.toString(d.get(i).value().shape()));
            }
        }
        return out;
    }
}
