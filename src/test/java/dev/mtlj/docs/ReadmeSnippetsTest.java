package dev.mtlj.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executable docs: every Java program in README.md (each {@code java} block with a {@code main}) compiles against
 * mtlj as it is and runs to exit 0, in README order, in a scratch folder holding {@code examples/} and the quick
 * start's run ({@code runs/quickstart}), each in its own JVM (the programs use relative paths, as users would).
 */
class ReadmeSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @Test
    void everyReadmeProgramCompilesAndRuns(@TempDir Path dir) throws Exception {
        List<String> programs = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            if (m.group(1).contains("public static void main(")) {
                programs.add(m.group(1));
            }
        }
        assertThat(programs).as("README programs").hasSizeGreaterThanOrEqualTo(3);
        copyTree(Path.of("examples"), dir.resolve("examples"));
        Run.train(Quickstart.config(List.of("device=cpu", "train.steps=40", "output=" + dir.resolve("runs"))));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = System.getProperty("java.class.path");
        for (String program : programs) {
            Matcher c = CLASS_NAME.matcher(program);
            assertThat(c.find()).as("a public class in\n" + program).isTrue();
            String name = c.group(1);
            Path source = dir.resolve("src").resolve(name + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, program);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter diagnostics = new StringWriter();
            boolean ok = javac.getTask(
                            diagnostics,
                            null,
                            null,
                            List.of("-classpath", classpath, "-d", classes.toString(), "-Xlint:all", "-Werror"),
                            null,
                            javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                    .getJavaFileObjects(source.toFile()))
                    .call();
            assertThat(ok).as(name + " compiles:\n" + diagnostics).isTrue();
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                            "-cp",
                            classes + java.io.File.pathSeparator + classpath,
                            name)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(name + " finishes").isTrue();
            assertThat(p.exitValue()).as(name + " exit code; output:\n" + out).isZero();
            assertThat(out).as(name).isNotBlank();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
