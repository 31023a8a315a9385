package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import java.net.URI;

/**
 * Experiment tracking beyond the run folder ({@code tracking:} in a run config). TensorBoard event files are always
 * written; MLflow only when configured.
 *
 * @param mlflow an MLflow tracking server to log to, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackingSpec(@JsonProperty("mlflow") Mlflow mlflow) {
    /** No tracking server. */
    public static TrackingSpec none() {
        return new TrackingSpec(null);
    }

    /**
     * An MLflow tracking server.
     *
     * @param uri        the server's address, {@code http://host:port} (required)
     * @param experiment the experiment the run goes in, created when missing (default {@code mtlj})
     */
    public record Mlflow(
            @JsonProperty("uri") String uri,
            @JsonProperty("experiment") String experiment) {
        /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
        public Mlflow {
            if (uri == null || uri.isBlank()) {
                throw new UserInputException(
                        "tracking.mlflow.uri is required, e.g. tracking: {mlflow: {uri: http://127.0.0.1:5000}}");
            }
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("tracking.mlflow.uri '" + uri + "' is not a URI: " + e.getMessage());
            }
            if ((!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme()))
                    || parsed.getHost() == null) {
                throw new UserInputException("tracking.mlflow.uri '" + uri
                        + "' must be an http:// or https:// address of a tracking server");
            }
            experiment = experiment == null ? "mtlj" : experiment;
            if (experiment.isBlank()) {
                throw new UserInputException("tracking.mlflow.experiment must not be empty");
            }
        }
    }
}
