package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Declarative description of a shared backbone; {@code type} selects the implementation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MlpSpec.class, name = "mlp"),
    @JsonSubTypes.Type(value = CnnSpec.class, name = "cnn"),
    @JsonSubTypes.Type(value = ResNetSpec.class, name = "resnet"),
    @JsonSubTypes.Type(value = TorchScriptSpec.class, name = "torchscript")
})
public sealed interface BackboneSpec permits MlpSpec, CnnSpec, ResNetSpec, TorchScriptSpec {}
