package dev.mtlj;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The design's boundary: balancing and sampling math is pure Java (docs/architecture.md). */
class PackageRulesTest {
    @Test
    void balanceAndSampleImportNothingFromLibtorch() throws IOException {
        for (String pkg : List.of("balance", "sample")) {
            try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/mtlj", pkg))) {
                List<Path> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                    try {
                        return Files.readString(p).contains("import org.bytedeco");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
                assertThat(offenders).as("files in %s importing org.bytedeco", pkg).isEmpty();
            }
        }
    }

    @Test
    void noWildcardImportOfThePresets() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("import org.bytedeco.pytorch" + ".*;"); // split: not to match itself
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
