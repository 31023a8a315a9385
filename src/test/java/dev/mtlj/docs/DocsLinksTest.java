package dev.mtlj.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md resolves — markdown links and repository
 * paths written in backticks alike: the file exists and, when the link names one, the heading anchor exists in it
 * (GitHub's anchor rules) — and every {@code docs/<file>.md[#anchor]} reference in the sources and
 * tests points at something that exists.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    /** A repository path in backticks: relative, with a folder and a file extension, no placeholders or globs. */
    private static final Pattern CODE_PATH = Pattern.compile(
            "`((?:\\.\\./)?[\\w.-]+(?:/[\\w.-]+)+\\.(?:md|java|yaml|yml|py|sh|json|txt|xml|cpp|pt))(#[\\w-]+)?`");

    private static final Pattern SOURCE_REF = Pattern.compile("docs/([\\w.-]+\\.md)(#[\\w-]+)?");

    @Test
    void relativeLinksInTheDocsResolve() throws IOException {
        List<Path> pages =
                new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md"), Path.of("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        TreeSet<String> broken = new TreeSet<>();
        int checked = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            List<String> targets = new ArrayList<>();
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
            Matcher c = CODE_PATH.matcher(text);
            while (c.find()) {
                targets.add(c.group(1) + (c.group(2) == null ? "" : c.group(2)));
            }
            for (String target : targets) {
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto: — not ours to check offline
                }
                checked++;
                Path base = page.getParent() == null ? Path.of(".") : page.getParent();
                String problem = resolve(base, target);
                if (problem != null && resolve(Path.of("."), target) != null) { // relative to the page, or to the root
                    broken.add(page + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertThat(broken).isEmpty();
        assertThat(checked).as("links checked").isGreaterThan(0);
    }

    @Test
    void docsReferencesInTheCodeResolve() throws IOException {
        TreeSet<String> broken = new TreeSet<>();
        int checked = 0;
        for (String root : List.of("src/main/java", "src/test/java", "benchmarks/src/main/java")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    Matcher m = SOURCE_REF.matcher(Files.readString(f));
                    while (m.find()) {
                        checked++;
                        String ref = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                        String problem = resolve(Path.of("docs"), ref);
                        if (problem != null) {
                            broken.add(f + ": docs/" + ref + " (" + problem + ")");
                        }
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
        assertThat(checked).as("references checked").isGreaterThan(10);
    }

    /** Null when {@code target} (path[#anchor]) resolves from {@code base}, else what is missing. */
    private static String resolve(Path base, String target) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path p = file.isEmpty() ? null : base.resolve(file).normalize();
        if (p != null && !Files.exists(p)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        if (p == null || !p.toString().endsWith(".md")) {
            return p == null ? "anchor without a file is not checked here" : null;
        }
        return anchors(p).contains(target.substring(hash + 1)) ? null : "no such heading";
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(Path markdown) throws IOException {
        Set<String> out = new HashSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            if (fenced || !line.startsWith("#")) {
                continue;
            }
            String slug = line.replaceFirst("^#+\\s*", "")
                    .trim()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                    .replace(' ', '-');
            String unique = slug;
            for (int i = 1; !out.add(unique); i++) {
                unique = slug + "-" + i;
            }
        }
        return out;
    }
}
