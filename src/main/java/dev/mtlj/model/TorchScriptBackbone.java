package dev.mtlj.model;

import dev.mtlj.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NamedTensor;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.named_buffer_iterator;
import org.bytedeco.pytorch.named_buffer_list;
import org.bytedeco.pytorch.named_parameter_iterator;
import org.bytedeco.pytorch.named_parameter_list;

/**
 * A network exported from Python ({@code torch.jit.save}) as the shared trunk; mtlj's heads go on its output.
 *
 * <p>The TorchScript module's parameters and buffers are registered on this module under their own names (dots
 * become underscores), as the same tensors: the optimizer, freezing, {@code to(device)} and checkpoints see them like
 * any backbone's. {@code trainable: false} registers the parameters without gradients. The module's train/eval mode
 * follows this module's at every forward. The output shape is found by one forward of a zero example at load time,
 * which also checks that the network accepts the data's examples. Owned by the registering {@link MultiTaskModel}.
 */
final class TorchScriptBackbone extends Module implements Backbone {
    private final JitModule script;
    private final long[] outputShape;
    private final Tensor lastWeight;

    public TorchScriptBackbone(TorchScriptSpec spec, long[] exampleShape) {
        super("TorchScriptBackbone");
        Path path = Path.of(spec.path());
        if (!Files.isRegularFile(path)) {
            throw new UserInputException("model.backbone.path '" + spec.path() + "' does not exist or is not a file");
        }
        try {
            script = torch.load(path.toString());
        } catch (RuntimeException e) {
            if (!dev.mtlj.engine.NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException("model.backbone.path '" + spec.path()
                    + "' is not a loadable TorchScript file (" + dev.mtlj.engine.NativeErrors.cause(e)
                    + "); write it with torch.jit.save(torch.jit.script(net), path)");
        }
        script.retainReference();
        Tensor last = null;
        try (PointerScope scope = new PointerScope()) {
            named_parameter_list params = script.named_parameters(true);
            for (named_parameter_iterator it = params.begin(); it.notEquals(params.end()); it.increment()) {
                NamedTensor p = it.access();
                Tensor registered =
                        new Tensor(register_parameter(safe(p.name().getString()), p.value(), spec.trainable()));
                if (registered.dim() >= 2 || last == null) {
                    last = registered;
                }
            }
            named_buffer_list buffers = script.named_buffers(true);
            for (named_buffer_iterator it = buffers.begin(); it.notEquals(buffers.end()); it.increment()) {
                NamedTensor b = it.access();
                register_buffer(safe(b.name().getString()), b.value());
            }
            if (last != null) {
                last.retainReference(); // the one handle kept (GradNorm's last shared layer); the module owns the rest
            }
        }
        if (last == null) {
            throw new UserInputException("the torchscript backbone '" + spec.path() + "' has no parameters");
        }
        lastWeight = last;
        outputShape = probe(spec.path(), exampleShape);
    }

    private long[] probe(String path, long[] exampleShape) {
        long[] batch = new long[exampleShape.length + 1];
        batch[0] = 1;
        System.arraycopy(exampleShape, 0, batch, 1, exampleShape.length);
        boolean wasTraining = script.is_training();
        try (PointerScope scope = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            script.train(false);
            Tensor y = call(torch.zeros(batch));
            if (y.dim() < 2) {
                throw new UserInputException("the torchscript backbone '" + path + "' returns shape "
                        + Arrays.toString(y.sizes().vec().get()) + " for input " + Arrays.toString(batch)
                        + "; mtlj's heads need [B, features...]");
            }
            long[] shape = y.sizes().vec().get();
            return Arrays.copyOfRange(shape, 1, shape.length);
        } catch (RuntimeException e) {
            if (!dev.mtlj.engine.NativeErrors.isNative(e)) {
                throw e;
            }
            throw new UserInputException(
                    "the torchscript backbone '" + path + "' rejects examples of shape " + Arrays.toString(exampleShape)
                            + " (batch " + Arrays.toString(batch) + "): " + dev.mtlj.engine.NativeErrors.cause(e));
        } finally {
            script.train(wasTraining);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        script.train(is_training());
        return call(x);
    }

    private Tensor call(Tensor x) {
        IValueVector args = new IValueVector(new IValue(x));
        IValue out = script.forward(args);
        if (!out.isTensor()) {
            throw new IllegalStateException("the torchscript backbone returned a non-tensor value");
        }
        return out.toTensor();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public Tensor lastLayerWeight() {
        return lastWeight;
    }

    @Override
    public void close() {
        lastWeight.close();
        script.close();
        super.close();
    }

    private static String safe(String name) {
        return name.replace('.', '_');
    }
}
