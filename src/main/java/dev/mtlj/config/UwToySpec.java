package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.UwToy;

/**
 * {@code data: {type: uw-toy}}: the uncertainty-weighting toy ({@link UwToy}), noise scales 10 and 1.
 *
 * @param train default 1000
 * @param val   default 200
 * @param test  default 200
 */
public record UwToySpec(
        @JsonProperty("train") Integer train,
        @JsonProperty("val") Integer val,
        @JsonProperty("test") Integer test) implements DataSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public UwToySpec {
        train = train == null ? 1000 : train;
        val = val == null ? 200 : val;
        test = test == null ? 200 : test;
        if (train < 1 || val < 1 || test < 1) {
            throw new UserInputException("uw-toy: train, val and test sizes must be >= 1");
        }
        dev.mtlj.data.HeapBudget.require(
                "uw-toy", "data.train, data.val or data.test", train, ((double) train + val + test) * 4, 4);
    }

    @Override
    public DataSplits load(long seed) {
        return UwToy.generate(train, val, test, seed);
    }
}
