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

    /**
     * A full disk while appending a record (the probe's defect 4: exit 1, a 39-line trace and a torn last record): a
     * tmpfs of two pages is filled record by record; the record that does not fit is cut back whole, and the failure is
     * a {@link RunWriteException} (one line, exit 2) naming the file, the step and the cause. Needs root to mount;
     * skipped otherwise.
     */
    @Test
    void aFullDiskLeavesNoTornRecordAndStopsByName(@TempDir Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        boolean mounted = p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(
                mounted,
                "cannot mount a tmpfs here (needs root): "
                        + new String(p.getInputStream().readAllBytes()));
        try {
            Path f = mount.resolve("metrics.jsonl");
            java.util.Map<String, dev.mtlj.train.TaskReport> tasks = new java.util.LinkedHashMap<>();
            for (String t : java.util.List.of("alpha", "beta", "gamma")) {
                tasks.put(t, new dev.mtlj.train.TaskReport(0.123456789, 1.0, java.util.Map.of("mae", 0.987654321)));
            }
            long step = 0;
            try (MetricsJsonl m = new MetricsJsonl(f, "ew", 1.0)) {
                while (step < 1000) { // 8 KiB hold about 30 of these records
                    m.onReport(new dev.mtlj.train.Report(step, "train", 1e-3, tasks));
                    step++;
                }
                org.assertj.core.api.Assertions.fail("8 KiB took 1000 records");
            } catch (RunWriteException e) {
                assertThat(e.getMessage())
                        .startsWith("could not append step " + (step + 1) + "'s record to " + f + ": ")
                        .contains("No space left on device")
                        .doesNotContain("\n");
            }
            assertThat(step).isPositive();
            String text = Files.readString(f);
            assertThat(text).endsWith("\n");
            assertThat(text.lines()).hasSize((int) step);
            for (String line : text.lines().toList()) {
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(line)
                                .path("tasks")
                                .size())
                        .isEqualTo(3);
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
