package dev.mtlj.reproduce;

import dev.mtlj.DidYouMean;
import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mtlj reproduce NAME}: the papers' experiments as one command each. Every reproduction trains its arms through
 * the ordinary run machinery (seeded; CPU runs repeat exactly), then writes {@code <out>/<name>/report.md} (our
 * numbers beside what the paper published, the paper named) and charts as PNG and SVG: task weights and per-task
 * training losses over steps, and for Multi-Fashion the left-vs-right accuracy plane. {@code quick} shortens every
 * run for a smoke test; the reports say which was used.
 */
public final class Reproduce {
    /** Builds one reproduction for its output folder. */
    @FunctionalInterface
    private interface Factory {
        Reproduction create(Path dir, boolean quick, long seed);
    }

    private record Entry(String name, Factory factory) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("gradnorm-toy", GradNormToyReproduction::new),
            new Entry("uw-toy", UwToyReproduction::new),
            new Entry("mmoe-synthetic", MmoeSyntheticReproduction::new),
            new Entry("multi-fashion", MultiFashionReproduction::new));

    /** The reproductions, by name. */
    public static final List<String> NAMES = ENTRIES.stream().map(Entry::name).toList();

    private Reproduce() {}

    /** Runs reproduction {@code name} into {@code out/name}; returns the report file. */
    public static Path run(String name, Path out, boolean quick, long seed) {
        Entry entry = ENTRIES.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UserInputException("reproduction '" + name + "' is not known"
                        + DidYouMean.hint(name, NAMES) + "; allowed: " + String.join(", ", NAMES)));
        Reproduction r = entry.factory().create(out.resolve(name), quick, seed);
        try {
            Files.createDirectories(r.dir);
            r.reproduce();
            Path report = r.dir.resolve("report.md");
            AtomicFiles.writeString(report, r.md.toString());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
