package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * Cross-stitch networks ({@link CrossStitch}).
 *
 * @param self  initial weight of a column's own activation, a_ii (default 0.9, the paper's α_S)
 * @param other initial weight of each other column, a_ij (default 0.1, the paper's α_D)
 */
public record CrossStitchSpec(
        @JsonProperty("self") Double self,
        @JsonProperty("other") Double other) implements ArchitectureSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public CrossStitchSpec {
        self = self == null ? 0.9 : self;
        other = other == null ? 0.1 : other;
        if (!Double.isFinite(self) || !Double.isFinite(other)) {
            throw new UserInputException("model.architecture.self and other must be finite numbers");
        }
    }

    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        CrossStitch c = new CrossStitch(this, backbone, exampleShape, tasks);
        return new Trunk("cross_stitch", c, c);
    }
}
