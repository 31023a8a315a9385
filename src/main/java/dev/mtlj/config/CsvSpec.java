package dev.mtlj.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import dev.mtlj.data.CsvTable;
import dev.mtlj.data.DataSplits;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code data: {type: csv, train: a.csv, val: b.csv, test: c.csv, tasks: {price: {kind: regression}, ...}}}: tabular
 * multi-task data ({@link CsvTable}); an empty label cell is a missing label.
 *
 * @param train     training table
 * @param val       validation table
 * @param test      test table
 * @param delimiter one character; default tab for .tsv files, else comma
 * @param features  feature columns (default: every column that is no label column)
 * @param tasks     task name → {column (default the task name), kind, classes (classification, default 3)}
 */
public record CsvSpec(
        @JsonProperty("train") String train,
        @JsonProperty("val") String val,
        @JsonProperty("test") String test,
        @JsonProperty("delimiter") String delimiter,
        @JsonProperty("features") List<String> features,
        @JsonProperty("tasks") LinkedHashMap<String, Entry> tasks)
        implements DataSpec {
    /** One task's label column. */
    public record Entry(
            @JsonProperty("column") String column,
            @JsonProperty("kind") String kind,
            @JsonProperty("classes") Integer classes) {}

    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public CsvSpec {
        for (String[] f : new String[][] {{"train", train}, {"val", val}, {"test", test}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new UserInputException(
                        "data." + f[0] + " is required for csv data (a CSV/TSV file with a header row)");
            }
        }
        if (delimiter != null && delimiter.length() != 1 && !delimiter.equals("\\t")) {
            throw new UserInputException("data.delimiter must be one character, got '" + delimiter + "'");
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new UserInputException(
                    "data.tasks must name at least one label column, e.g. {price: {kind: regression}}");
        }
        columns(tasks);
    }

    private static List<CsvTable.LabelColumn> columns(LinkedHashMap<String, Entry> tasks) {
        List<CsvTable.LabelColumn> out = new ArrayList<>();
        tasks.forEach((name, e) -> {
            Entry entry = e == null ? new Entry(null, null, null) : e;
            TaskKind kind = PerTaskSyntheticSpec.kind(name, entry.kind());
            out.add(new CsvTable.LabelColumn(
                    name,
                    entry.column() == null ? name : entry.column(),
                    kind,
                    PerTaskSyntheticSpec.classes(name, kind, entry.classes())));
        });
        return out;
    }

    @Override
    public DataSplits load(long seed) {
        List<CsvTable.LabelColumn> cols = columns(tasks);
        List<TaskSpec> specs = cols.stream()
                .map(c -> TaskSpec.of(c.task(), c.kind(), c.kind() == TaskKind.CLASSIFICATION ? c.classes() : 1))
                .toList();
        return new DataSplits(specs, read(train, cols), read(val, cols), read(test, cols));
    }

    private dev.mtlj.data.MultiTaskData read(String file, List<CsvTable.LabelColumn> cols) {
        char sep = delimiter == null
                ? (file.endsWith(".tsv") ? '\t' : ',')
                : delimiter.equals("\\t") ? '\t' : delimiter.charAt(0);
        return CsvTable.read(Path.of(file), sep, features, cols);
    }

    @Override
    public String describe() {
        return "'" + train + "'";
    }
}
