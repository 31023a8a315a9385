package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.CheckpointFile;
import dev.mtlj.checkpoint.TrainerState;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.data.DataSplits;
import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.model.MultiTaskModel;
import dev.mtlj.run.Run;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A model trained by mtlj, rebuilt from the config stored in its checkpoint and loaded with its weights, in eval mode.
 * Owns the {@link MultiTaskModel}.
 */
final class CheckpointNetwork implements Network {
    private final MultiTaskModel model;
    private final ModelSignature signature;
    private final torch.ScalarType dtype;

    private CheckpointNetwork(MultiTaskModel model, ModelSignature signature, torch.ScalarType dtype) {
        this.model = model;
        this.signature = signature;
        this.dtype = dtype;
    }

    static CheckpointNetwork open(Path ckpt, TrainerState state, Device device) {
        if (state.metadata() == null) {
            throw new UserInputException(
                    "checkpoint '" + ckpt + "' carries no run config, so its model cannot be rebuilt");
        }
        RunConfig config = ConfigLoader.fromJson(state.metadata(), "checkpoint " + ckpt);
        ModelSignature sig = state.signature();
        if (sig == null) { // written before checkpoints carried a signature: the data says what the model takes
            DataSplits data = Run.prepare(config);
            sig = ModelSignature.of(
                    Arrays.stream(data.train().exampleShape()).asLongStream().toArray(), data.tasks());
        }
        torch.ScalarType dtype = config.dtypeSpec().scalarType();
        MultiTaskModel model = MultiTaskModel.build(config.model(), sig.inputShape(), sig.taskSpecs());
        try {
            model.to(DeviceSpec.parse(device.str().getString()), config.dtypeSpec());
            CheckpointFile.load(ckpt, model.network(), null, device);
            model.network().eval();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new CheckpointNetwork(model, sig, dtype);
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
        return "mtlj";
    }

    @Override
    public List<Tensor> forward(Tensor x) {
        return model.network().forward(x);
    }

    @Override
    public void close() {
        model.close();
    }
}
