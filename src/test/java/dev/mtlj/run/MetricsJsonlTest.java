package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming trims metrics.jsonl to the checkpoint's step, also after its writer was killed mid-record. */
class MetricsJsonlTest {
    private static final String RECORDS = "{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n{\"step\":4}\n";

    @Test
    void dropsTheRecordsFromTheResumedStepOn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, RECORDS);
        MetricsJsonl.truncate(f, 2); // two steps done: their records stay
        assertThat(Files.readString(f)).isEqualTo("{\"step\":1}\n{\"step\":2}\n");
    }

    /** kill -9 between the bytes of one record: the torn tail (here cut inside a two-byte UTF-8 character) goes. */
    @Test
    void aTornLastRecordIsDropped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        byte[] torn = "{\"step\":5,\"tasks\":{\"é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(f, RECORDS);
        Files.write(f, java.util.Arrays.copyOf(torn, torn.length - 1), java.nio.file.StandardOpenOption.APPEND);
        MetricsJsonl.truncate(f, 10);
        assertThat(Files.readString(f)).isEqualTo(RECORDS);
    }

    @Test
    void aDamagedRecordBeforeTheEndIsRefusedByLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"step\":0}\n{\"ste\n{\"step\":2}\n");
        assertThatThrownBy(() -> MetricsJsonl.truncate(f, 1))
                .isInstanceOf(UserInputException.class)
                .hasMessage(f + " line 2 is not a JSON record; the metrics file is damaged (fix or remove that line,"
                        + " then resume)");
        assertThat(Files.readString(f)).isEqualTo("{\"step\":0}\n{\"ste\n{\"step\":2}\n");
    }
}
