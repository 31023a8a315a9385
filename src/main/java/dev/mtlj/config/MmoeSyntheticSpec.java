package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.MmoeSynthetic;

/**
 * {@code data: {type: mmoe-synthetic, correlation: 0.5, ...}}: MMoE's synthetic two-task data ({@link MmoeSynthetic}).
 *
 * @param correlation cosine p of the two label weight vectors, in [−1, 1] (default 0.5)
 * @param inputDim    d (default 100)
 * @param train       default 8000
 * @param val         default 1000
 * @param test        default 1000
 */
public record MmoeSyntheticSpec(
        @JsonProperty("correlation") Double correlation,
        @JsonProperty("input_dim") Integer inputDim,
        @JsonProperty("train") Integer train,
        @JsonProperty("val") Integer val,
        @JsonProperty("test") Integer test)
        implements DataSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public MmoeSyntheticSpec {
        correlation = correlation == null ? 0.5 : correlation;
        inputDim = inputDim == null ? 100 : inputDim;
        train = train == null ? 8000 : train;
        val = val == null ? 1000 : val;
        test = test == null ? 1000 : test;
        MmoeSynthetic.weights(inputDim, correlation, new dev.mtlj.random.Rng(0)); // validates, naming the field
        if (train < 1 || val < 1 || test < 1) {
            throw new dev.mtlj.UserInputException("mmoe-synthetic: train, val and test sizes must be >= 1");
        }
        dev.mtlj.data.HeapBudget.require(
                "mmoe-synthetic",
                "data.input_dim, data.train, data.val or data.test",
                (long) train * inputDim,
                ((double) train + val + test) * (inputDim + 2),
                4);
    }

    @Override
    public DataSplits load(long seed) {
        return MmoeSynthetic.generate(inputDim, correlation, train, val, test, seed);
    }
}
