package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.data.DataSplits;
import dev.mtlj.data.MultiFashion;
import java.nio.file.Path;

/**
 * {@code data: {type: multi-fashion}}: Multi-Fashion ({@link MultiFashion}) built from Fashion-MNIST.
 *
 * @param path  Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist)
 * @param cache where built images are kept (default ~/.cache/mtlj)
 * @param train default 50000 (from Fashion-MNIST's training images)
 * @param val   default 10000 (from Fashion-MNIST's training images)
 * @param test  default 10000 (from Fashion-MNIST's test images)
 */
public record MultiFashionSpec(
        @JsonProperty("path") String path,
        @JsonProperty("cache") String cache,
        @JsonProperty("train") Integer train,
        @JsonProperty("val") Integer val,
        @JsonProperty("test") Integer test)
        implements DataSpec {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public MultiFashionSpec {
        train = train == null ? 50_000 : train;
        val = val == null ? 10_000 : val;
        test = test == null ? 10_000 : test;
        if (train < 1 || val < 1 || test < 1) {
            throw new dev.mtlj.UserInputException("data.train, data.val and data.test must be >= 1 for multi-fashion");
        }
    }

    @Override
    public DataSplits load(long seed) {
        Path c = cache == null ? Path.of(System.getProperty("user.home"), ".cache", "mtlj") : Path.of(cache);
        return MultiFashion.load(path == null ? null : Path.of(path), c, train, val, test, seed);
    }
}
