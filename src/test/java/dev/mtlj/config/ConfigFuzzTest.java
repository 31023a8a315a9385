package dev.mtlj.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtlj.UserInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the config loader: any text is a config or a {@link UserInputException} naming what is wrong — never another
 * exception, a hang or a crash. Seeds (beside this class under {@code ConfigFuzzTestInputs/}) hold the probe's cases:
 * aliases, alias bombs, duplicate keys, huge numbers, wrong types. {@code ./mvnw test} replays them; .ci/fuzz fuzzes.
 */
class ConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void anyTextIsAConfigOrAUserError(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        try {
            ConfigLoader.parse(yaml, "fuzz.yaml", List.of());
        } catch (UserInputException expected) {
            // a bad config, named
        }
    }
}
