package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How tasks share the backbone; {@code type} selects it, and each spec builds its own trunk (a new architecture is one
 * spec record, one module class and one line in the type list below).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HardSharingSpec.class, name = "hps"),
    @JsonSubTypes.Type(value = MmoeSpec.class, name = "mmoe"),
    @JsonSubTypes.Type(value = CgcSpec.class, name = "cgc"),
    @JsonSubTypes.Type(value = PleSpec.class, name = "ple"),
    @JsonSubTypes.Type(value = CrossStitchSpec.class, name = "cross-stitch"),
    @JsonSubTypes.Type(value = MtanSpec.class, name = "mtan")
})
public sealed interface ArchitectureSpec
        permits HardSharingSpec, MmoeSpec, CgcSpec, PleSpec, CrossStitchSpec, MtanSpec {
    /**
     * Builds the shared trunk for {@code tasks} tasks over backbones of {@code backbone}, for examples of shape
     * {@code exampleShape}.
     */
    @dev.mtlj.NativeApi
    Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks);
}
