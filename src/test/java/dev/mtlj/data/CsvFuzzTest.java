package dev.mtlj.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtlj.UserInputException;
import dev.mtlj.task.TaskKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the CSV reader: any file is a table or a {@link UserInputException} naming the file, line and column. Seeds
 * under {@code CsvFuzzTestInputs/}.
 */
class CsvFuzzTest {
    private static final List<CsvTable.LabelColumn> LABELS = List.of(
            new CsvTable.LabelColumn("click", "clicked", TaskKind.BINARY, 0),
            new CsvTable.LabelColumn("cat", "category", TaskKind.CLASSIFICATION, 3));

    @FuzzTest(maxDuration = "30s")
    void anyFileIsATableOrAUserError(byte[] input) throws IOException {
        Path f = Files.createTempFile("mtlj-fuzz", ".csv");
        try {
            Files.write(f, input);
            CsvTable.read(f, ',', null, LABELS);
        } catch (UserInputException expected) {
            // a bad file, named
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
