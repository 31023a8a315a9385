package dev.mtlj.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Executable docs: every Java program in README.md (each {@code java} block with a {@code main}) is the file of that
 * name in {@code examples/java} (which CI builds against the installed artifact), compiles against
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
        List<String> names = new ArrayList<>();
        copyTree(Path.of("examples"), dir.resolve("examples"));
        Run.train(Quickstart.config(List.of("device=cpu", "train.steps=40", "output=" + dir.resolve("runs"))));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = System.getProperty("java.class.path");
        for (String program : programs) {
            Matcher c = CLASS_NAME.matcher(program);
            assertThat(c.find()).as("a public class in\n" + program).isTrue();
            String name = c.group(1);
            // examples/java (built in CI against the installed mtlj) holds the same programs, to the character
            assertThat(Path.of("examples/java/src/main/java", name + ".java"))
                    .as("examples/java copy of README's " + name)
                    .hasContent(program);
            names.add(name);
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
        try (var files = Files.list(Path.of("examples/java/src/main/java"))) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".java", "")))
                    .as("examples/java programs, all from the README")
                    .containsExactlyInAnyOrderElementsOf(names);
        }
    }

    /**
     * The README's serving example as written: {@code ./mtlj serve --model runs/quickstart} (here the same CLI in a
     * JVM, on a free port) answers the README's curl line, whose request file is {@code examples/}'s, with the top 2
     * classes of {@code cls}; SIGTERM then drains it and it exits 143 (128 + SIGTERM, as a JVM stopped by the signal
     * does after its shutdown hooks; Kubernetes and Compose count it as a clean stop).
     */
    @Test
    void theServingExampleAnswersTheCurlLine(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher serve =
                Pattern.compile("\\./mtlj serve --model (runs/quickstart) &").matcher(readme);
        Matcher curl = Pattern.compile("curl -s localhost:8080(/v2/models/quickstart/infer) -d @(\\S+)")
                .matcher(readme);
        assertThat(serve.find()).as("README's serve line").isTrue();
        assertThat(curl.find()).as("README's curl line").isTrue();
        Run.train(Quickstart.config(List.of("device=cpu", "train.steps=20", "output=" + dir.resolve("runs"))));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.mtlj.cli.Main",
                        "serve",
                        "--model",
                        serve.group(1),
                        "--port",
                        Integer.toString(port),
                        "--grpc-port",
                        "-1")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.append(line).append('\n');
                if (line.startsWith("mtlj serve: http://")) {
                    break;
                }
            }
            assertThat(seen.toString()).as("server output").contains("mtlj serve: http://");
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + curl.group(1)))
                                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of(curl.group(2))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode cls = new ObjectMapper().readTree(r.body()).get("outputs").get(0);
            assertThat(cls.get("name").asText()).isEqualTo("cls");
            assertThat(cls.get("shape").toString()).isEqualTo("[1,2]");
            assertThat(cls.get("data").get(0).asText()).matches("0\\.\\d+:\\d+"); // "probability:class"
            // SIGTERM by kill: Process.destroy would also close the stream the rest of the output comes on
            new ProcessBuilder("kill", "-TERM", Long.toString(server.pid()))
                    .start()
                    .waitFor();
            StringBuilder rest = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                rest.append(line).append('\n');
            }
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).as(rest.toString()).isEqualTo(143);
            assertThat(rest.toString()).contains("server stopped");
        } finally {
            server.destroyForcibly();
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
