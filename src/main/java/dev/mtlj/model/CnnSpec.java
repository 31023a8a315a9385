package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import java.util.List;

/**
 * Small CNN backbone for [C, H, W] examples: per entry of {@code channels} a block
 * {@code Conv k×k (same padding) [→ BatchNorm] → ReLU → MaxPool 2×2}, then flatten, then optional
 * {@code Linear → ReLU [→ Dropout]} layers of widths {@code hidden}.
 *
 * @param channels  output channels of each conv block, at least one (default {@code [16, 32]})
 * @param kernel    odd kernel size (default 3)
 * @param batchNorm batch normalisation after each conv (default true)
 * @param hidden    fully connected widths after flattening (default none)
 * @param dropout   dropout after each fully connected activation, in [0, 1) (default 0)
 */
public record CnnSpec(
        @JsonProperty("channels") List<Integer> channels,
        @JsonProperty("kernel") Integer kernel,
        @JsonProperty("batch_norm") Boolean batchNorm,
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("dropout") Double dropout)
        implements BackboneSpec, ColumnStages {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public CnnSpec {
        channels = channels == null ? List.of(16, 32) : List.copyOf(channels);
        kernel = kernel == null ? 3 : kernel;
        batchNorm = batchNorm == null || batchNorm;
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        if (channels.isEmpty()) {
            throw new UserInputException("model.backbone.channels must list at least one channel count");
        }
        Specs.checkWidths("model.backbone.channels", channels);
        Specs.checkWidths("model.backbone.hidden", hidden);
        if (kernel < 1 || kernel % 2 == 0 || kernel > 15) {
            throw new UserInputException("model.backbone.kernel must be odd and in [1, 15], got " + kernel);
        }
        Specs.checkDropout("model.backbone.dropout", dropout);
    }

    @Override
    public String typeName() {
        return "cnn";
    }

    @Override
    @dev.mtlj.NativeApi
    public Backbone build(long[] exampleShape) {
        return new CnnBackbone(this, exampleShape);
    }

    @Override
    @dev.mtlj.NativeApi
    public long[] stages(
            long[] exampleShape,
            java.util.List<org.bytedeco.pytorch.SequentialImpl> column,
            java.util.List<Long> widths,
            java.util.List<org.bytedeco.javacpp.Pointer> owned) {
        return CrossStitch.cnnStages(this, exampleShape, column, widths, owned);
    }

    @Override
    public boolean flatInput() {
        return false;
    }
}
