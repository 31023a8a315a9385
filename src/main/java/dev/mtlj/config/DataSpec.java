package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mtlj.data.DataSplits;

/** Where a run's data comes from; {@code type} selects the source. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GradNormToySpec.class, name = "gradnorm-toy"),
    @JsonSubTypes.Type(value = MmoeSyntheticSpec.class, name = "mmoe-synthetic"),
    @JsonSubTypes.Type(value = PerTaskSyntheticSpec.class, name = "per-task-synthetic"),
    @JsonSubTypes.Type(value = MultiFashionSpec.class, name = "multi-fashion"),
    @JsonSubTypes.Type(value = CsvSpec.class, name = "csv"),
    @JsonSubTypes.Type(value = UwToySpec.class, name = "uw-toy")
})
public interface DataSpec {
    /** Produces the splits (deterministic in {@code seed}). */
    DataSplits load(long seed);

    /** The training split's source, for messages (a file name, or what generated it). */
    default String describe() {
        return "the " + getClass().getSimpleName().replace("Spec", "") + " data";
    }
}
