package dev.mtlj.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.config.RunConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run folder (before: two {@code train --resume} on one folder both wrote it). */
class RunLockTest {
    /** Another process holding the folder: training into it is refused with the holder's PID, before anything is written. */
    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid(@TempDir Path dir) throws Exception {
        RunConfig cfg =
                Quickstart.config(List.of("device=cpu", "train.steps=20", "train.eval_every=0", "output=" + dir));
        RunConfig longer =
                Quickstart.config(List.of("device=cpu", "train.steps=30", "train.eval_every=0", "output=" + dir));
        Path run = Run.train(cfg).dir();
        long before = java.nio.file.Files.size(run.resolve("metrics.jsonl"));
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        RunLockHolder.class.getName(),
                        run.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> Run.train(longer, RunOptions.defaults().withResume(run)))
                    .isInstanceOf(UserInputException.class)
                    .hasMessage("run folder '" + run + "' is in use by another mtlj process (PID " + holder.pid()
                            + "); wait for it to finish, or train into another folder");
            assertThat(java.nio.file.Files.size(run.resolve("metrics.jsonl"))).isEqualTo(before);
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // the holder is gone: the folder can be resumed again
        assertThat(Run.train(longer, RunOptions.defaults().withResume(run))
                        .fit()
                        .stepsDone())
                .isEqualTo(30);
    }

    /** A fresh run never writes into an existing folder: the second one gets a numeric suffix. */
    @Test
    void aFreshRunNeverReusesAFolder(@TempDir Path dir) {
        RunConfig cfg =
                Quickstart.config(List.of("device=cpu", "train.steps=5", "train.eval_every=0", "output=" + dir));
        Path first = Run.train(cfg).dir();
        Path second = Run.train(cfg).dir();
        assertThat(first).isEqualTo(dir.resolve("quickstart").toAbsolutePath());
        assertThat(second).isEqualTo(dir.resolve("quickstart-2").toAbsolutePath());
    }

    /** Within one JVM too. */
    @Test
    void aSecondLockInTheSameProcessIsRefused(@TempDir Path dir) {
        try (RunLock first = RunLock.acquire(dir)) {
            assertThatThrownBy(() -> RunLock.acquire(dir))
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("is in use by another mtlj process (PID "
                            + ProcessHandle.current().pid() + ")");
        }
        RunLock.acquire(dir).close(); // released
    }
}
