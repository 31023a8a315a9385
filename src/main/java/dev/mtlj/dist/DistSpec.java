package dev.mtlj.dist;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;

/**
 * Data-parallel settings ({@code dist:} in a run config); they matter only when the launcher starts more than one
 * process (see {@link WorldInfo}).
 *
 * @param backend    the collectives' backend (default auto)
 * @param timeoutS   seconds a collective or the rendezvous may wait for a peer before the run stops naming the silent
 *                   rank (default 300; the longest pause between two steps must fit in it, e.g. an evaluation)
 * @param checkEvery every how many steps the ranks compare a checksum of their parameters; 0 = never (default 100)
 */
public record DistSpec(
        @JsonProperty("backend") CommBackend backend,
        @JsonProperty("timeout_s") Integer timeoutS,
        @JsonProperty("check_every") Integer checkEvery) {
    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public DistSpec {
        backend = backend == null ? CommBackend.AUTO : backend;
        timeoutS = timeoutS == null ? 300 : timeoutS;
        checkEvery = checkEvery == null ? 100 : checkEvery;
        if (timeoutS < 1 || timeoutS > 86_400) {
            throw new UserInputException("dist.timeout_s must be in [1, 86400], got " + timeoutS);
        }
        if (checkEvery < 0) {
            throw new UserInputException("dist.check_every must be >= 0 (0 = never), got " + checkEvery);
        }
    }

    /** auto, 300 s, a parameter check every 100 steps. */
    public static DistSpec defaults() {
        return new DistSpec(null, null, null);
    }
}
