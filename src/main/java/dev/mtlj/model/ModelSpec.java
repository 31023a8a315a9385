package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A whole multi-task model: backbone, sharing architecture and heads.
 *
 * @param backbone     the shared trunk (default: the GradNorm-toy MLP)
 * @param architecture how tasks share it (default {@code hps})
 * @param head         head used by every task without its own entry in {@code heads} (default linear)
 * @param heads        per-task head overrides, by task name
 */
public record ModelSpec(
        @JsonProperty("backbone") BackboneSpec backbone,
        @JsonProperty("architecture") ArchitectureSpec architecture,
        @JsonProperty("head") HeadSpec head,
        @JsonProperty("heads") Map<String, HeadSpec> heads) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public ModelSpec {
        backbone = backbone == null ? new MlpSpec(null, null) : backbone;
        architecture = architecture == null ? new HardSharingSpec() : architecture;
        head = head == null ? HeadSpec.linear() : head;
        heads = heads == null ? Map.of() : Map.copyOf(heads);
    }

    /** Head of task {@code name}. */
    public HeadSpec headFor(String name) {
        return heads.getOrDefault(name, head);
    }

    /** Defaults everywhere. */
    public static ModelSpec defaults() {
        return new ModelSpec(null, null, null, null);
    }
}
