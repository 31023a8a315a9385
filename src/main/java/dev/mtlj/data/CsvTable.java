package dev.mtlj.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tabular multi-task data (the recommender case): a CSV or TSV file with a header row, numeric feature columns and one
 * label column per task. Rows are streamed (Jackson's CSV parser, quoting per RFC 4180) straight into growing float
 * arrays; no table of strings is held. An empty label cell is a missing label of that task (partial labels); everything else malformed —
 * a ragged row, a non-numeric or non-finite value, an empty feature, a class label outside [0, classes), a binary label
 * other than 0/1, an unknown column — is refused with the file, line and column.
 */
public final class CsvTable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvTable.class);
    /** One task's label column. */
    public record LabelColumn(String task, String column, TaskKind kind, int classes) {}

    private CsvTable() {}

    /**
     * How to read a table.
     *
     * @param delimiter ',' or '\t' (or any single character)
     * @param features  feature column names, or null for every column that is no label column
     */
    public static MultiTaskData read(Path file, char delimiter, List<String> features, List<LabelColumn> labels) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("CSV file '" + file + "' does not exist or is not a file");
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> rows =
                        mapper.readerFor(String[].class).with(schema).readValues(in)) {
            if (!rows.hasNext()) {
                throw new UserInputException("CSV file '" + file + "' is empty; it needs a header row");
            }
            String[] header = rows.next();
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                Integer before = index.put(header[c].strip(), c);
                if (before != null) {
                    throw new UserInputException("CSV file '" + file + "' names column '" + header[c].strip()
                            + "' twice in its header (columns " + (before + 1) + " and " + (c + 1) + "); column names"
                            + " must be unique");
                }
            }
            int[] labelCols = new int[labels.size()];
            for (int k = 0; k < labels.size(); k++) {
                labelCols[k] = column(
                        file,
                        index,
                        labels.get(k).column(),
                        "label column of task '" + labels.get(k).task() + "'");
            }
            List<Integer> featureCols = new ArrayList<>();
            if (features == null) {
                for (int c = 0; c < header.length; c++) {
                    final int col = c;
                    if (java.util.Arrays.stream(labelCols).noneMatch(l -> l == col)) {
                        featureCols.add(c);
                    }
                }
            } else {
                for (String f : features) {
                    int c = column(file, index, f, "feature column");
                    for (int k = 0; k < labelCols.length; k++) {
                        if (labelCols[k] == c) { // the model would read the answer it is asked to predict
                            throw new UserInputException(
                                    "CSV file '" + file + "': column '" + f + "' is listed among the"
                                            + " features but is the label column of task '"
                                            + labels.get(k).task()
                                            + "' (a target leak); remove it from data.features");
                        }
                    }
                    if (featureCols.contains(c)) {
                        throw new UserInputException(
                                "CSV file '" + file + "': feature column '" + f + "' is listed twice");
                    }
                    featureCols.add(c);
                }
            }
            if (featureCols.isEmpty()) {
                throw new UserInputException("CSV file '" + file + "' has no feature column besides the label columns");
            }
            FloatBuffer x = new FloatBuffer(file);
            List<FloatBuffer> ys = new ArrayList<>();
            labels.forEach(l -> ys.add(new FloatBuffer(file)));
            while (rows.hasNext()) {
                long line = rows.getCurrentLocation().getLineNr(); // after hasNext(): this row's line
                String[] row = rows.next();
                if (row.length == 1 && row[0].isBlank()) {
                    continue; // blank line
                }
                if (row.length != header.length) {
                    throw new UserInputException("CSV file '" + file + "' line " + line + ": " + row.length
                            + " fields, the header has " + header.length);
                }
                for (int c : featureCols) {
                    String cell = row[c].strip();
                    if (cell.isEmpty()) {
                        throw bad(
                                file,
                                line,
                                header[c],
                                "empty feature value (only label cells may be empty: a missing label)");
                    }
                    x.add(number(file, line, header[c], cell));
                }
                for (int k = 0; k < labels.size(); k++) {
                    String cell = row[labelCols[k]].strip();
                    ys.get(k)
                            .add(
                                    cell.isEmpty()
                                            ? Float.NaN
                                            : label(file, line, header[labelCols[k]], cell, labels.get(k)));
                }
            }
            if (x.size == 0) {
                throw new UserInputException("CSV file '" + file + "' has a header but no data rows");
            }
            Map<String, TaskLabels> out = new LinkedHashMap<>();
            for (int k = 0; k < labels.size(); k++) {
                float[] y = ys.get(k).toArray();
                warnIfConstant(file, labels.get(k).task(), y);
                out.put(labels.get(k).task(), new TaskLabels(y, 1));
            }
            return new MultiTaskData(x.toArray(), new int[] {featureCols.size()}, out);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserInputException u) {
                throw u;
            }
            throw new UserInputException("CSV file '" + file + "' cannot be parsed: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static int column(Path file, Map<String, Integer> index, String name, String role) {
        Integer c = index.get(name);
        if (c == null) {
            throw new UserInputException("CSV file '" + file + "' has no column '" + name + "' (" + role
                    + "); its header has " + new java.util.TreeSet<>(index.keySet()));
        }
        return c;
    }

    private static float number(Path file, long line, String column, String cell) {
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw bad(file, line, column, "'" + cell + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw bad(file, line, column, "'" + cell + "' is not finite");
        }
        return v;
    }

    private static float label(Path file, long line, String column, String cell, LabelColumn l) {
        float v = number(file, line, column, cell);
        if (l.kind() == TaskKind.CLASSIFICATION && (v != Math.rint(v) || v < 0 || v >= l.classes())) {
            throw bad(
                    file,
                    line,
                    column,
                    "class label " + cell + " is not an integer in [0, " + l.classes() + ") for task '" + l.task()
                            + "'");
        }
        if (l.kind() == TaskKind.BINARY && v != 0 && v != 1) {
            throw bad(file, line, column, "binary label " + cell + " is not 0 or 1 for task '" + l.task() + "'");
        }
        return v;
    }

    /** A label column whose labelled rows all agree teaches nothing: said, not refused (a small split may be so). */
    private static void warnIfConstant(Path file, String task, float[] y) {
        float first = Float.NaN;
        for (float v : y) {
            if (Float.isNaN(v)) {
                continue;
            }
            if (Float.isNaN(first)) {
                first = v;
            } else if (v != first) {
                return;
            }
        }
        if (!Float.isNaN(first)) {
            LOG.warn(
                    "CSV file '{}': every labelled row of task '{}' has the label {}; the task can learn nothing from"
                            + " it",
                    file,
                    task,
                    first);
        }
    }

    private static UserInputException bad(Path file, long line, String column, String what) {
        return new UserInputException("CSV file '" + file + "' line " + line + ", column '" + column + "': " + what);
    }

    /** A growing float array. */
    /** A growing float array that checks the heap before each growth (a CSV larger than the heap is refused). */
    private static final class FloatBuffer {
        private final String what;
        private float[] data = new float[1024];
        private int size;

        FloatBuffer(Path file) {
            this.what = "CSV file '" + file + "'";
        }

        void add(float v) {
            if (size == data.length) {
                long grown = Math.min(HeapBudget.MAX_ARRAY, 2L * data.length);
                if (grown == size) {
                    throw new UserInputException(what + " holds more than " + HeapBudget.MAX_ARRAY + " values in one"
                            + " column group; split it into several files");
                }
                // the old and the grown array live side by side while copying
                HeapBudget.require(
                        what, "the file (split it, or list fewer data.features)", grown, (double) grown + size, 4);
                data = java.util.Arrays.copyOf(data, (int) grown);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
