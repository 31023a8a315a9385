package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Declarative description of a shared backbone; {@code type} selects the implementation, and each spec builds its own
 * module (a new backbone is one spec record, one module class and one line in the type list below).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MlpSpec.class, name = "mlp"),
    @JsonSubTypes.Type(value = CnnSpec.class, name = "cnn"),
    @JsonSubTypes.Type(value = ResNetSpec.class, name = "resnet"),
    @JsonSubTypes.Type(value = TorchScriptSpec.class, name = "torchscript")
})
public sealed interface BackboneSpec permits MlpSpec, CnnSpec, ResNetSpec, TorchScriptSpec {
    /** The config name of this backbone type, e.g. {@code mlp}. */
    String typeName();

    /** Builds the backbone for examples of shape {@code exampleShape}; the caller registers and owns the module. */
    @dev.mtlj.NativeApi
    Backbone build(long[] exampleShape);
}
