package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.GradNormToy;
import java.util.List;

/**
 * {@code data: {type: gradnorm-toy, ...}}: the GradNorm synthetic problem ({@link GradNormToy}).
 *
 * @param sigmas    task scales (default [1, 10, 100])
 * @param inputDim  default 250
 * @param outputDim default 100
 * @param classes   classes of the extra {@code cls} task, 0 for none (default 4)
 * @param train     default 4000
 * @param val       default 1000
 * @param test      default 1000
 */
public record GradNormToySpec(
        @JsonProperty("sigmas") List<Double> sigmas,
        @JsonProperty("input_dim") Integer inputDim,
        @JsonProperty("output_dim") Integer outputDim,
        @JsonProperty("classes") Integer classes,
        @JsonProperty("train") Integer train,
        @JsonProperty("val") Integer val,
        @JsonProperty("test") Integer test)
        implements DataSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public GradNormToySpec {
        sigmas = sigmas == null ? List.of(1.0, 10.0, 100.0) : List.copyOf(sigmas);
        inputDim = inputDim == null ? 250 : inputDim;
        outputDim = outputDim == null ? 100 : outputDim;
        classes = classes == null ? 4 : classes;
        train = train == null ? 4000 : train;
        val = val == null ? 1000 : val;
        test = test == null ? 1000 : test;
        options(sigmas, inputDim, outputDim, classes, train, val, test, 0); // validates now, naming the field
    }

    private static GradNormToy.Options options(
            List<Double> sigmas, int inputDim, int outputDim, int classes, int train, int val, int test, long seed) {
        return new GradNormToy.Options(
                sigmas.stream().mapToDouble(Double::doubleValue).toArray(),
                inputDim,
                outputDim,
                classes,
                train,
                val,
                test,
                seed);
    }

    @Override
    public DataSplits load(long seed) {
        return GradNormToy.generate(options(sigmas, inputDim, outputDim, classes, train, val, test, seed));
    }
}
