package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * A backbone exported from Python with {@code torch.jit.save} ({@link TorchScriptBackbone}).
 *
 * @param path      the TorchScript file (required)
 * @param trainable whether its parameters are trained with the heads (default false: a frozen feature extractor)
 */
public record TorchScriptSpec(
        @JsonProperty("path") String path,
        @JsonProperty("trainable") Boolean trainable) implements BackboneSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public TorchScriptSpec {
        if (path == null || path.isBlank()) {
            throw new UserInputException("model.backbone.path is required for a torchscript backbone (a file written by"
                    + " torch.jit.save)");
        }
        trainable = trainable != null && trainable;
    }

    @Override
    public String typeName() {
        return "torchscript";
    }

    @Override
    @dev.mtlj.NativeApi
    public Backbone build(long[] exampleShape) {
        return new TorchScriptBackbone(this, exampleShape);
    }
}
