package dev.mtlj.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GenericDict;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A multi-head TorchScript model exported from Python ({@code torch.jit.save(torch.jit.script(net), path)}) whose
 * forward takes {@code [B, input_shape...]} and returns one {@code [B, width]} tensor per task: a tuple or list in
 * the signature's task order, a dict keyed by task name, or a single tensor for a one-task model. The signature comes
 * from the options or from {@code <model>.json} beside the file. Owns the script module.
 */
final class ScriptNetwork implements Network {
    private final JitModule script;
    private final ModelSignature signature;
    private final torch.ScalarType dtype;
    private final String path;

    private ScriptNetwork(JitModule script, ModelSignature signature, torch.ScalarType dtype, String path) {
        this.script = script;
        this.signature = signature;
        this.dtype = dtype;
        this.path = path;
    }

    static ScriptNetwork open(Path file, ModelSignature given, Device device) {
        JitModule script;
        try {
            script = torch.load(file.toString());
        } catch (RuntimeException e) {
            if (!dev.mtlj.engine.NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException(
                    "model '" + file + "' is neither an mtlj checkpoint nor a loadable TorchScript file ("
                            + dev.mtlj.engine.NativeErrors.cause(e) + ")");
        }
        script.retainReference();
        ModelSignature sig;
        try {
            sig = given != null ? given : readSignature(file);
        } catch (RuntimeException e) {
            script.close();
            throw e;
        }
        try (PointerScope scope = new PointerScope()) {
            torch.ScalarType dtype = torch.ScalarType.Float;
            var params = script.parameters(true);
            if (params.size() > 0) {
                dtype = params.begin().access().scalar_type().intern();
            }
            script.to(device, dtype);
            script.eval();
            ScriptNetwork net = new ScriptNetwork(script, sig, dtype, file.toString());
            net.probe(device);
            return net;
        } catch (RuntimeException e) {
            script.close();
            throw e;
        }
    }

    private static ModelSignature readSignature(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path json = file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
        if (!Files.isRegularFile(json)) {
            throw new UserInputException("TorchScript model '" + file + "' needs its signature in '" + json
                    + "': {\"input_shape\": [...], \"tasks\": [{\"name\": ..., \"kind\": classification|binary|regression,"
                    + " \"outputs\": N}, ...]}");
        }
        try {
            return new ObjectMapper()
                    .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(json.toFile(), ModelSignature.class);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof UserInputException u ? u : e;
            throw new UserInputException(
                    "signature '" + json + "' is not valid: " + dev.mtlj.engine.NativeErrors.cause(c), e);
        }
    }

    /** One forward of a zero batch: the outputs must match the signature, or the model is refused now, not per request. */
    private void probe(Device device) {
        long[] shape = new long[signature.inputShape().length + 1];
        shape[0] = 2;
        System.arraycopy(signature.inputShape(), 0, shape, 1, shape.length - 1);
        try (InferenceMode g = new InferenceMode();
                PointerScope scope = new PointerScope()) {
            List<Tensor> outs = forward(torch.zeros(shape).to(device, dtype));
            for (int i = 0; i < outs.size(); i++) {
                long[] got = outs.get(i).sizes().vec().get();
                ModelSignature.Task t = signature.tasks().get(i);
                if (got.length != 2 || got[0] != 2 || got[1] != t.outputs()) {
                    throw new UserInputException(
                            "TorchScript model '" + path + "' returns shape " + Arrays.toString(got) + " for task '"
                                    + t.name() + "' on a batch of 2; its signature says [2, " + t.outputs() + "]");
                }
            }
        } catch (RuntimeException e) {
            if (!dev.mtlj.engine.NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException("TorchScript model '" + path + "' rejects examples of shape "
                    + Arrays.toString(signature.inputShape()) + ": " + dev.mtlj.engine.NativeErrors.cause(e));
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public torch.ScalarType dtype() {
        return dtype;
    }

    @Override
    public String platform() {
        return "torchscript";
    }

    @Override
    public List<Tensor> forward(Tensor x) {
        IValue out = script.forward(new IValueVector(new IValue(x)));
        List<ModelSignature.Task> tasks = signature.tasks();
        List<Tensor> outs = new ArrayList<>(tasks.size());
        if (out.isTensor() && tasks.size() == 1) {
            outs.add(out.toTensor());
        } else if (out.isTuple() || out.isTensorList() || out.isList()) {
            List<IValue> items = new ArrayList<>();
            if (out.isTuple()) {
                var el = out.toTuple().elements();
                for (long i = 0; i < el.size(); i++) {
                    items.add(el.get(i));
                }
            } else if (out.isTensorList()) {
                TensorVector v = out.toTensorVector();
                for (long i = 0; i < v.size(); i++) {
                    items.add(new IValue(v.get(i)));
                }
            } else {
                var l = out.toList();
                for (long i = 0; i < l.size(); i++) {
                    items.add(l.get(i));
                }
            }
            if (items.size() != tasks.size()) {
                throw new UserInputException("TorchScript model '" + path + "' returns " + items.size()
                        + " outputs; its signature lists " + tasks.size() + " tasks");
            }
            for (IValue v : items) {
                outs.add(tensor(v));
            }
        } else if (out.isGenericDict()) {
            GenericDict d = out.toGenericDict();
            for (ModelSignature.Task t : tasks) {
                IValue key = new IValue(t.name());
                if (!d.contains(key)) {
                    throw new UserInputException(
                            "TorchScript model '" + path + "' returns a dict without task '" + t.name() + "'");
                }
                outs.add(tensor(d.at(key)));
            }
        } else {
            throw new UserInputException(
                    "TorchScript model '" + path + "' returns neither a tensor per task (tuple, list or"
                            + " dict by task name) nor, for one task, a tensor");
        }
        return outs;
    }

    private Tensor tensor(IValue v) {
        if (!v.isTensor()) {
            throw new UserInputException("TorchScript model '" + path + "' returns a non-tensor task output");
        }
        return v.toTensor();
    }

    @Override
    public void close() {
        script.close();
    }
}
