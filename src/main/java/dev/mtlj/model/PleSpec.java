package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * CGC / PLE ({@link Ple}): {@code type: cgc} is one extraction level, {@code type: ple} several.
 *
 * @param levels        extraction levels L (cgc: 1; ple default 2)
 * @param sharedExperts shared experts per level m_s (default 2)
 * @param taskExperts   experts per task per level m_k (default 1)
 * @param gateBias      whether gates have a bias (default false)
 */
public record PleSpec(
        @JsonProperty("levels") Integer levels,
        @JsonProperty("shared_experts") Integer sharedExperts,
        @JsonProperty("task_experts") Integer taskExperts,
        @JsonProperty("gate_bias") Boolean gateBias)
        implements ArchitectureSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public PleSpec {
        levels = levels == null ? 2 : levels;
        sharedExperts = sharedExperts == null ? 2 : sharedExperts;
        taskExperts = taskExperts == null ? 1 : taskExperts;
        gateBias = gateBias != null && gateBias;
        if (levels < 1 || levels > 16) {
            throw new UserInputException("model.architecture.levels must be in [1, 16], got " + levels);
        }
        if (sharedExperts < 0
                || taskExperts < 0
                || sharedExperts + taskExperts < 1
                || sharedExperts > 256
                || taskExperts > 256) {
            throw new UserInputException(
                    "model.architecture.shared_experts and task_experts must be in [0, 256] with at least"
                            + " one expert per task gate, got shared_experts " + sharedExperts + ", task_experts "
                            + taskExperts);
        }
    }

    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        Ple ple = new Ple(this, backbone, exampleShape, tasks);
        return new Trunk("ple", ple, ple);
    }
}
