package dev.mtlj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    private static final List<CsvTable.LabelColumn> LABELS = List.of(
            new CsvTable.LabelColumn("price", "price", TaskKind.REGRESSION, 0),
            new CsvTable.LabelColumn("click", "clicked", TaskKind.BINARY, 0),
            new CsvTable.LabelColumn("cat", "category", TaskKind.CLASSIFICATION, 3));

    /** Features are every non-label column in header order; empty label cells are missing labels (NaN). */
    @Test
    void readsFeaturesAndPartialLabels(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.csv"), """
                x1,price,x2,clicked,category
                1.5,10,-2,1,2
                0,,"3.25",0,
                2e-1,7.5,4,,0
                """);
        MultiTaskData d = CsvTable.read(f, ',', null, LABELS);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.exampleShape()).containsExactly(2);
        assertThat(d.features()).containsExactly(1.5f, -2f, 0f, 3.25f, 0.2f, 4f);
        assertThat(d.labels().get("price").values()).containsExactly(10f, Float.NaN, 7.5f);
        assertThat(d.labels().get("click").values()).containsExactly(1f, 0f, Float.NaN);
        assertThat(d.labels().get("cat").values()).containsExactly(2f, Float.NaN, 0f);
        assertThat(d.labels().get("cat").labelled()).isEqualTo(2);
        Path tsv = Files.writeString(dir.resolve("t.tsv"), "a\tb\tprice\tclicked\tcategory\n1\t2\t3\t0\t1\n");
        MultiTaskData t = CsvTable.read(tsv, '\t', List.of("b"), LABELS);
        assertThat(t.features()).containsExactly(2f);
    }

    @Test
    void malformedRowsAreNamedWithLineAndColumn(@TempDir Path dir) throws Exception {
        String header = "x1,price,clicked,category\n";
        fails(dir, header + "1,2,1,0\n1,2,1\n", "line 3: 3 fields, the header has 4");
        fails(dir, header + "1,2,1,0\nabc,2,1,0\n", "line 3, column 'x1': 'abc' is not a number");
        fails(dir, header + ",2,1,0\n", "line 2, column 'x1': empty feature value");
        fails(
                dir,
                header + "1,2,1,3\n",
                "line 2, column 'category': class label 3 is not an integer in [0, 3) for task 'cat'");
        fails(dir, header + "1,2,0.5,1\n", "line 2, column 'clicked': binary label 0.5 is not 0 or 1 for task 'click'");
        fails(dir, header + "1,NaN,1,1\n", "line 2, column 'price': 'NaN' is not finite");
        fails(dir, "x1,price,category\n1,2,0\n", "has no column 'clicked' (label column of task 'click')");
        fails(dir, "", "is empty; it needs a header row");
        fails(
                dir,
                "x1,price,clicked,x1,category\n1,2,1,3,0\n",
                "names column 'x1' twice in its header (columns 1 and 4); column names must be unique");
    }

    private static void fails(Path dir, String content, String message) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.csv"), content);
        assertThatThrownBy(() -> CsvTable.read(f, ',', null, LABELS))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("CSV file '" + f + "'")
                .hasMessageContaining(message);
    }

    /** A label column listed among the features is a target leak: refused by name (before: accepted). */
    @Test
    void aLabelColumnAmongTheFeaturesIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.csv"), "x1,price,clicked,category\n1,2,1,0\n");
        assertThatThrownBy(() -> CsvTable.read(f, ',', List.of("x1", "price"), LABELS))
                .isInstanceOf(UserInputException.class)
                .hasMessage(
                        "CSV file '" + f + "': column 'price' is listed among the features but is the label column of"
                                + " task 'price' (a target leak); remove it from data.features");
        assertThatThrownBy(() -> CsvTable.read(f, ',', List.of("x1", "x1"), LABELS))
                .isInstanceOf(UserInputException.class)
                .hasMessage("CSV file '" + f + "': feature column 'x1' is listed twice");
    }

    /**
     * A CSV larger than the heap is refused by name before the read runs out of memory (it ended in an
     * OutOfMemoryError, or past 2^30 values a NegativeArraySizeException): 5 million feature values read by a child JVM with a
     * 64 MiB heap, whose budget (60 %) ends at 38 MiB, below the 8 Mi-value buffer (32 MiB) plus its copy.
     */
    @Test
    void aCsvLargerThanTheHeapIsRefusedByName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.csv");
        try (java.io.BufferedWriter out = Files.newBufferedWriter(f)) {
            out.write("x1,x2,x3,x4,x5,clicked,category\n");
            for (int i = 0; i < 1_000_000; i++) {
                out.write("1,2,3,4,5,1,0\n");
            }
        }
        Path cfg = Files.writeString(
                dir.resolve("c.yaml"),
                String.join(
                        "\n",
                        "name: big",
                        "device: cpu",
                        "output: " + dir.resolve("runs"),
                        "data: {type: csv, train: " + f + ", val: " + f + ", test: " + f
                                + ", tasks: {click: {column: clicked," + " kind: binary}}}",
                        ""));
        Process p = dev.mtlj.testing.ChildJvm.mtlj(
                        List.of("-Xmx64m"), List.of("train", "--config", cfg.toString(), "-q"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("error: CSV file '" + f + "' would take").doesNotContain("OutOfMemoryError");
        assertThat(dir.resolve("runs")).doesNotExist();
    }
}
