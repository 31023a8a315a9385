package dev.mtlj.serve;

import dev.mtlj.engine.DeviceSpec;
import dev.mtlj.model.ModelSignature;

/**
 * How a {@link Predictor} is opened.
 *
 * @param device    {@code cpu}, {@code cuda[:N]} or {@code auto} (CUDA when available)
 * @param signature for a TorchScript model, its input shape and tasks; null reads {@code <model>.json} beside it
 */
public record PredictorOptions(String device, ModelSignature signature) {
    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public PredictorOptions {
        DeviceSpec.parse(device); // validates, naming what is allowed
    }

    /** Device {@code auto}, signature from the model's files. */
    public static PredictorOptions defaults() {
        return new PredictorOptions("auto", null);
    }

    /** These options on device {@code d}. */
    public PredictorOptions withDevice(String d) {
        return new PredictorOptions(d, signature);
    }

    @Override
    public String toString() {
        return "PredictorOptions[device=" + device + ", signature=" + (signature == null ? "from files" : signature)
                + "]";
    }
}
