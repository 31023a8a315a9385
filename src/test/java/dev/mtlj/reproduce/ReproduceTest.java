package dev.mtlj.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceTest {
    /** Seeded end to end: the same seed writes the same report twice (CPU), with its charts as PNG and SVG. */
    @Test
    void quickUwToyIsDeterministicAndCharted(@TempDir Path dir) throws Exception {
        Path a = Reproduce.run("uw-toy", dir.resolve("a"), true, 3);
        Path b = Reproduce.run("uw-toy", dir.resolve("b"), true, 3);
        assertThat(Files.readString(a))
                .isEqualTo(Files.readString(b))
                .contains("| ours |")
                .contains("Gal's notebook")
                .contains("; 300 steps (the notebook")
                .doesNotContain("10,000 steps (")
                // the quick budget bounds σ: e^(300·10⁻³/2) = e^0.15 = 1.16
                .contains("This is the --quick run: 300 steps instead of 10,000")
                .contains("e^(300·10⁻³/2) = 1.16");
        for (String f : new String[] {"sigma.png", "sigma.svg", "losses-uw.png", "losses-uw.svg"}) {
            assertThat(a.getParent().resolve(f)).isNotEmptyFile();
        }
        assertThat(Files.readString(a.getParent().resolve("sigma.svg"))).contains("<svg");
    }

    @Test
    void unknownNameIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> Reproduce.run("mnist", dir, true, 1))
                .isInstanceOf(UserInputException.class)
                .hasMessage(
                        "reproduction 'mnist' is not known; allowed: gradnorm-toy, uw-toy, mmoe-synthetic, multi-fashion");
    }
}
