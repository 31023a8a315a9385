package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * CGC: PLE with one extraction level ({@link Ple}).
 *
 * @param sharedExperts shared experts m_s (default 2)
 * @param taskExperts   experts per task m_k (default 1)
 * @param gateBias      whether gates have a bias (default false)
 */
public record CgcSpec(
        @JsonProperty("shared_experts") Integer sharedExperts,
        @JsonProperty("task_experts") Integer taskExperts,
        @JsonProperty("gate_bias") Boolean gateBias)
        implements ArchitectureSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public CgcSpec {
        new PleSpec(1, sharedExperts, taskExperts, gateBias); // same validation, same messages
    }

    /** The equivalent one-level PLE. */
    public PleSpec asPle() {
        return new PleSpec(1, sharedExperts, taskExperts, gateBias);
    }

    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        return asPle().build(backbone, exampleShape, tasks);
    }
}
