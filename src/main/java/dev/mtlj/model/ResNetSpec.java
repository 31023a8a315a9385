package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import java.util.List;

/**
 * ResNet-style CNN backbone for [C, H, W] examples ({@link ResNetBackbone}).
 *
 * @param channels width of each stage (default {@code [16, 32, 64]}); every stage after the first halves H and W
 * @param blocks   residual blocks per stage, the depth (default 2)
 * @param hidden   fully connected widths after global average pooling (default none)
 * @param dropout  dropout after each fully connected activation, in [0, 1) (default 0)
 */
public record ResNetSpec(
        @JsonProperty("channels") List<Integer> channels,
        @JsonProperty("blocks") Integer blocks,
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("dropout") Double dropout)
        implements BackboneSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public ResNetSpec {
        channels = channels == null ? List.of(16, 32, 64) : List.copyOf(channels);
        blocks = blocks == null ? 2 : blocks;
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        if (channels.isEmpty()) {
            throw new UserInputException("model.backbone.channels must list at least one stage width");
        }
        Specs.checkWidths("model.backbone.channels", channels);
        Specs.checkWidths("model.backbone.hidden", hidden);
        if (blocks < 1 || blocks > 64) {
            throw new UserInputException("model.backbone.blocks must be in [1, 64], got " + blocks);
        }
        Specs.checkDropout("model.backbone.dropout", dropout);
    }

    @Override
    public String typeName() {
        return "resnet";
    }

    @Override
    @dev.mtlj.NativeApi
    public Backbone build(long[] exampleShape) {
        return new ResNetBackbone(this, exampleShape);
    }
}
