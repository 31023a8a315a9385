package dev.mtlj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.balance.GramianWeighting;
import dev.mtlj.balance.LossWeighting;
import dev.mtlj.balance.RowAggregator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The design's boundaries (docs/architecture.md). */
class PackageRulesTest {
    /**
     * Loss weightings and Gramian weightings are pure Java on heap arrays, so they can be tested and used without
     * libtorch: no class of theirs — found through the registry, by kind — nor the kinds' interfaces, inputs and
     * numerics reference a libtorch type (checked in the compiled class files, nested classes included). Only the
     * row-aggregator kind runs on the device.
     */
    @Test
    void lossAndGramianMethodsReferenceNoLibtorchType() throws Exception {
        List<Class<?>> pure = new ArrayList<>();
        BalancerContext ctx = BalancerContext.of(3, 0);
        for (Balancers.Entry e : Balancers.entries()) {
            Map<String, Object> params =
                    e.name().equals("fixed") ? Map.of("weights", Map.of("t1", 1, "t2", 1, "t3", 1)) : Map.of();
            try (Balancer b = Balancers.create(e.name(), params, ctx)) {
                Class<?> kindless = b.accept(new Balancer.Visitor<Class<?>>() {
                    @Override
                    public Class<?> lossWeighting(LossWeighting m) {
                        return m.getClass();
                    }

                    @Override
                    public Class<?> gramianWeighting(GramianWeighting m) {
                        return m.getClass();
                    }

                    @Override
                    public Class<?> rowAggregator(RowAggregator m) {
                        return null;
                    }
                });
                if (kindless != null) {
                    pure.add(kindless);
                }
            }
        }
        assertThat(pure).hasSizeGreaterThan(20);
        for (String helper : List.of(
                "Balancer",
                "LossWeighting",
                "GramianWeighting",
                "LossInput",
                "GramianInput",
                "Weights",
                "Balance",
                "NativeScale",
                "BalancerContext",
                "Params",
                "Balancers",
                "Standalone",
                "Mat",
                "Qp",
                "Bargaining",
                "Aggregation",
                "ParameterAdam",
                "LearnedVector")) {
            pure.add(Class.forName("dev.mtlj.balance." + helper));
        }
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : pure) {
            for (Path f : classFiles(c)) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("org/bytedeco")) {
                    offenders.add(f.getFileName().toString());
                }
            }
        }
        assertThat(offenders).as("pure balancing classes referencing libtorch").isEmpty();
        // the check sees libtorch where it is: the row aggregators' class files reference it
        assertThat(new String(
                        Files.readAllBytes(classFiles(Class.forName("dev.mtlj.balance.GradDrop"))
                                .get(0)),
                        StandardCharsets.ISO_8859_1))
                .contains("org/bytedeco");
    }

    /** The class file of {@code c} and of its nested and anonymous classes. */
    private static List<Path> classFiles(Class<?> c) throws IOException, URISyntaxException {
        Path own = Path.of(c.getResource(c.getSimpleName() + ".class").toURI());
        try (Stream<Path> siblings = Files.list(own.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().equals(c.getSimpleName() + ".class")
                            || p.getFileName().toString().startsWith(c.getSimpleName() + "$"))
                    .toList();
        }
    }

    @Test
    void sampleImportsNothingFromLibtorch() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/mtlj/sample"))) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("import org.bytedeco"))
                    .toList();
            assertThat(offenders).as("files in sample importing org.bytedeco").isEmpty();
        }
    }

    @Test
    void noWildcardImportOfThePresets() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("import org.bytedeco.pytorch" + ".*;")) // split: not to match itself
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    /** No kind of balancer is told apart by {@code instanceof}: code that must differ by kind uses the visitor. */
    @Test
    void noInstanceofOnBalancerKinds() throws IOException {
        TreeSet<String> offenders = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                String s = read(p);
                for (String kind : List.of("LossWeighting", "GramianWeighting", "RowAggregator", "Balancer")) {
                    if (s.matches("(?s).*instanceof\\s+(dev\\.mtlj\\.balance\\.)?" + kind + "\\b.*")) {
                        offenders.add(p + ": instanceof " + kind);
                    }
                }
            });
        }
        assertThat(offenders).isEmpty();
    }

    private static String read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
