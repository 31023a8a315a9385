package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * Multi-gate mixture of experts ({@link Mmoe}).
 *
 * @param experts  number of experts n, each an instance of the configured backbone (default 4)
 * @param gateBias whether each gate's linear layer has a bias (the paper: no; LibMTL: yes; default false)
 */
public record MmoeSpec(
        @JsonProperty("experts") Integer experts,
        @JsonProperty("gate_bias") Boolean gateBias) implements ArchitectureSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public MmoeSpec {
        experts = experts == null ? 4 : experts;
        gateBias = gateBias != null && gateBias;
        if (experts < 1 || experts > 1024) {
            throw new UserInputException("model.architecture.experts must be in [1, 1024], got " + experts);
        }
    }

    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        Mmoe mmoe = new Mmoe(this, backbone, exampleShape, tasks);
        return new Trunk("mmoe", mmoe, mmoe);
    }
}
