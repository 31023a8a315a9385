package dev.mtlj.dist;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/**
 * Which c10d backend carries the collectives ({@code dist.backend}): {@code gloo} (CPU tensors, and CUDA tensors
 * through host copies), {@code nccl} (CUDA tensors, GPU natives only), or {@code auto}: NCCL when training on CUDA with
 * one GPU per rank, Gloo otherwise (CPU, or several ranks sharing one GPU, which NCCL refuses).
 */
public enum CommBackend {
    /** NCCL on CUDA with a GPU per rank, else Gloo. */
    AUTO("auto"),
    /** Gloo: CPU, and the fallback on CUDA (e.g. two ranks sharing one GPU). */
    GLOO("gloo"),
    /** NCCL (CUDA only). */
    NCCL("nccl");

    private final String configName;

    CommBackend(String configName) {
        this.configName = configName;
    }

    /** Parses a config name; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static CommBackend parse(String value) {
        for (CommBackend b : values()) {
            if (b.configName.equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new UserInputException("dist.backend '" + value + "' is not valid; allowed: auto, gloo, nccl");
    }

    @JsonValue
    @Override
    public String toString() {
        return configName;
    }
}
