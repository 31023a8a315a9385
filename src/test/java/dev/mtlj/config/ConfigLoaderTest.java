package dev.mtlj.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.model.CnnSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final String BASE = "data: {type: gradnorm-toy, train: 10, val: 5, test: 5}\n";

    private static RunConfig parse(String yaml, String... sets) {
        return ConfigLoader.parse(yaml, "test.yaml", List.of(sets));
    }

    private static void fails(String yaml, String expected, String... sets) {
        assertThatThrownBy(() -> parse(yaml, sets))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void defaultsAndOverrides() {
        RunConfig c = parse(BASE + "train: {steps: 10}\n", "train.optimizer.lr=0.01", "model.backbone={type: cnn}");
        assertThat(c.train().steps()).isEqualTo(10);
        assertThat(c.train().optimizer().lr()).isEqualTo(0.01);
        assertThat(c.model().backbone()).isInstanceOf(CnnSpec.class);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.balancerType()).isEqualTo("ew");
    }

    @Test
    void mmoeArchitecture() {
        RunConfig c = parse(BASE + "model: {architecture: {type: mmoe, experts: 3}}\n");
        assertThat(c.model().architecture()).isEqualTo(new dev.mtlj.model.MmoeSpec(3, false));
        fails(
                BASE + "model: {architecture: {type: mmoe, experts: 0}}\n",
                "model.architecture.experts must be in [1, 1024], got 0");
        fails(
                BASE + "model: {architecture: {type: moe}}\n",
                "model.architecture.type 'moe' in test.yaml is not valid; did you mean 'mmoe'?; allowed: hps, mmoe, cgc, ple, cross-stitch, mtan");
    }

    @Test
    void resolvedConfigRoundTripsThroughYamlAndJson() {
        RunConfig c = parse(BASE + "balancer: {type: fixed, weights: {y1: 2.0, y2: 1, y3: 1, cls: 1}}\n");
        assertThat(ConfigLoader.parse(ConfigLoader.toYaml(c), "x", List.of())).isEqualTo(c);
        assertThat(ConfigLoader.fromJson(ConfigLoader.toJson(c), "x")).isEqualTo(c);
    }

    @Test
    void unknownKeyIsNamedWithWhatIsAllowed() {
        fails(
                BASE + "train: {stepz: 10}\n",
                "unknown key 'train.stepz' in test.yaml; did you mean 'steps'?; allowed here: batch_size");
        fails(BASE + "train: {zzzzz: 10}\n", "unknown key 'train.zzzzz' in test.yaml; allowed here: batch_size");
        fails(BASE + "trian: {}\n", "unknown key 'trian'");
    }

    @Test
    void wrongTypeNamesKeyExpectedTypeAndValue() {
        fails(
                BASE + "train: {steps: ten}\n",
                "bad value for 'train.steps' in test.yaml: expected an integer, got 'ten'");
        fails(BASE + "train: {steps: 1.5}\n", "bad value for 'train.steps'");
        fails(
                BASE + "train: {optimizer: {lr: fast}}\n",
                "bad value for 'train.optimizer.lr' in test.yaml: expected a number");
    }

    @Test
    void badValuesNameTheFieldAndTheAllowedRange() {
        fails(
                BASE + "train: {optimizer: {type: rmsprop}}\n",
                "train.optimizer.type 'rmsprop' is not valid; allowed: sgd, adam, adamw");
        fails(BASE + "train: {optimizer: {lr: -1}}\n", "train.optimizer.lr must be > 0");
        fails(
                BASE + "model: {backbone: {type: transformer}}\n",
                "model.backbone.type 'transformer' in test.yaml is not valid; allowed: mlp, cnn, resnet");
        fails(BASE + "device: gpu7\n", "device 'gpu7' is not valid; allowed: auto, cpu, cuda, cuda:N");
        fails(BASE + "tracking: {mlflow: {experiment: x}}\n", "tracking.mlflow.uri is required");
        fails(
                BASE + "tracking: {mlflow: {uri: 'file:///tmp/mlruns'}}\n",
                "tracking.mlflow.uri 'file:///tmp/mlruns' must be an http:// or https:// address");
        fails(BASE + "tracking: {mlfow: {uri: 'http://x'}}\n", "did you mean 'mlflow'?");
        fails("data: {type: gradnorm-toy, sigmas: [1, -2]}\n", "every sigma must be > 0");
        fails("seed: 1\n", "data is required");
        fails(BASE + "train: {steps: 0}\n", "train.steps must be >= 1, got 0");
    }

    @Test
    void badOverridesAndYaml() {
        fails(BASE, "--set 'steps' must look like key=value", "steps");
        fails(BASE, "is a value, not a section", "data.type.x=1");
        fails("data: [unclosed\n", "is not valid YAML");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("no/such/config.yaml"), List.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("config file 'no/such/config.yaml' does not exist");
    }

    /** A key set twice in one mapping is refused with the key and the line (before: the last one silently won). */
    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "data: {type: gradnorm-toy}\ntrain:\n  steps: 10\n  batch_size: 8\n  steps: 20\n",
                        "c.yaml",
                        List.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessage("config 'c.yaml' sets key 'steps' twice in one mapping (second time at line 5); keep one");
    }

    /** YAML anchors and aliases resolve to their values (they were read as the alias's name). */
    @Test
    void anchorsAndAliasesResolve() {
        RunConfig c = parse(BASE + "train: {steps: &n 12, eval_every: *n, log_every: 3}\nseed: &s 7\nthreads: 1\n");
        assertThat(c.train().steps()).isEqualTo(12);
        assertThat(c.train().evalEvery()).isEqualTo(12);
        assertThat(c.seed()).isEqualTo(7L);
        RunConfig nested = parse(BASE + "tasks: {y1: &t {loss: l1, metrics: [mae]}, y2: *t}\n");
        assertThat(nested.tasks().get("y2")).isEqualTo(nested.tasks().get("y1"));
        assertThat(nested.tasks().get("y2").loss()).isEqualTo("l1");
        fails(BASE + "seed: *nope\n", "uses alias *nope before (or without) its anchor &nope");
    }

    /** A document whose aliases would expand without bound is refused (a "billion laughs"). */
    @Test
    void aliasBombsAreRefused() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                y.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        fails(y.toString(), "expands its aliases to more than 100000 YAML nodes");
    }

    /** A config over 1 Mi characters is refused before parsing (a 50 MB comment line ran for minutes at 3.45 GB). */
    @Test
    void hugeConfigsAreRefusedBeforeParsing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String comment = "#" + "x".repeat(ConfigLoader.MAX_CONFIG_CHARS) + "\n";
        fails(BASE + comment, "a config may hold at most 1048576");
        Path big = dir.resolve("big.yaml");
        try (var out = java.nio.file.Files.newBufferedWriter(big)) {
            out.write(BASE + "#");
            for (int i = 0; i < 50; i++) {
                out.write("y".repeat(1 << 20));
            }
        }
        assertThatThrownBy(() -> ConfigLoader.load(big, List.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("config file '" + big + "' is ")
                .hasMessageContaining("at most 1048576 characters");
    }

    /** Data that cannot fit is refused before anything is allocated (input_dim 2e9 ran into OutOfMemoryError). */
    @Test
    void dataLargerThanTheHeapIsRefusedBeforeAllocating() {
        fails(
                "data: {type: gradnorm-toy, input_dim: 2000000000, train: 10, val: 5, test: 5}\n",
                "gradnorm-toy would need an array of 20000000000 values, over Java's limit");
        fails(
                "data: {type: gradnorm-toy, input_dim: 10000, train: 100000, val: 5, test: 5}\n",
                "gradnorm-toy would take");
        fails("data: {type: mmoe-synthetic, input_dim: 100, train: 2000000000}\n", "mmoe-synthetic would");
    }
}
