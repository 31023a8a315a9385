package dev.mtlj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Quickstart;
import dev.mtlj.run.Run;
import dev.mtlj.run.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtlj train --nproc N} as a user runs it: real worker JVMs rendezvousing on loopback. The run equals the
 * one-process run; a worker killed with kill -9 stops the others, named, with a non-zero exit; a run checkpointed by two
 * processes resumes in one.
 */
class DistributedLaunchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BASE = List.of(
            "device=cpu",
            "threads=1",
            "data.train=800",
            "train.batch_size=32",
            "train.log_every=20",
            "train.eval_every=40",
            "dist.timeout_s=20");

    private static RunConfig config(Path out, String... more) {
        List<String> o = new ArrayList<>(BASE);
        o.add("output=" + out);
        o.addAll(List.of(more));
        return Quickstart.config(o);
    }

    private static Process launch(Path dir, RunConfig cfg, Path stderr, String... args) throws IOException {
        Path yaml = dir.resolve("run-" + System.nanoTime() + ".yaml");
        Files.writeString(yaml, ConfigLoader.toYaml(cfg));
        List<String> cmd = new ArrayList<>(List.of("train", "--config", yaml.toString(), "-q"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = dev.mtlj.testing.ChildJvm.mtlj(List.of(), cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        pb.environment().remove("WORLD_SIZE");
        return pb.start();
    }

    /** One metrics record: step, split and every task's loss. */
    private record Losses(long step, String split, double[] losses) {}

    private static List<Losses> losses(Path metrics) throws IOException {
        List<Losses> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode r = JSON.readTree(line);
            List<Double> v = new ArrayList<>();
            r.get("tasks").forEach(t -> v.add(t.get("loss").asDouble()));
            out.add(new Losses(
                    r.get("step").asLong(),
                    r.get("split").asText(),
                    v.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    /** Same records, losses equal to float tolerance (sums over the shards in another order). */
    private static void assertSameLosses(List<Losses> a, List<Losses> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).step())
                    .as("record %d step", i)
                    .isEqualTo(b.get(i).step());
            assertThat(a.get(i).split())
                    .as("record %d split", i)
                    .isEqualTo(b.get(i).split());
            for (int k = 0; k < a.get(i).losses().length; k++) {
                double want = b.get(i).losses()[k];
                assertThat(a.get(i).losses()[k])
                        .as(
                                "record %d (step %d %s) task %d loss",
                                i, a.get(i).step(), a.get(i).split(), k)
                        .isCloseTo(want, within(2e-5 * Math.abs(want) + 1e-7));
            }
        }
    }

    @Test
    void twoWorkersTrainLikeOneProcess(@TempDir Path dir) throws Exception {
        Path one = Run.train(config(dir.resolve("one"), "train.steps=80")).dir();
        RunConfig two = config(dir.resolve("two"), "train.steps=80");
        Process p = launch(dir, two, dir.resolve("err.txt"), "--nproc", "2");
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
        Path run = dir.resolve("two").resolve(two.name());
        assertSameLosses(losses(run.resolve("metrics.jsonl")), losses(one.resolve("metrics.jsonl")));
        assertThat(run.resolve("summary.json")).exists();
    }

    /** kill -9 of rank 1: rank 0 names it at once, the launcher reports it and exits with the killed worker's code. */
    @Test
    void aKilledWorkerStopsTheRunByName(@TempDir Path dir) throws Exception {
        RunConfig cfg = config(dir, "train.steps=100000", "train.checkpoint_every=50");
        Path err = dir.resolve("err.txt");
        Process launcher = launch(dir, cfg, err, "--nproc", "2");
        Path metrics = dir.resolve(cfg.name()).resolve("metrics.jsonl");
        while (launcher.isAlive() && (!Files.exists(metrics) || Files.size(metrics) < 2000)) {
            Thread.sleep(50);
        }
        assertThat(launcher.isAlive()).as(Files.readString(err)).isTrue();
        Optional<ProcessHandle> rank1 = launcher.children()
                .sorted(java.util.Comparator.comparing(
                                (ProcessHandle h) -> h.info().startInstant().orElseThrow())
                        .thenComparingLong(ProcessHandle::pid))
                .skip(1) // the launcher starts its workers in rank order
                .findFirst();
        assertThat(rank1).as("worker of rank 1").isPresent();
        new ProcessBuilder("kill", "-9", Long.toString(rank1.get().pid()))
                .start()
                .waitFor();
        assertThat(launcher.waitFor(120, TimeUnit.SECONDS))
                .as("the run stops by itself")
                .isTrue();
        String text = Files.readString(err);
        assertThat(launcher.exitValue()).as(text).isEqualTo(137);
        assertThat(text)
                .contains("error: worker rank 1 (pid " + rank1.get().pid()
                        + ") failed first with exit code 137 (killed by signal 9)")
                .contains("error: rank 1 stopped responding during an all-reduce");
    }

    /**
     * train.batch_size is the global batch, so a run checkpointed by two workers resumes in one process and continues
     * as the uninterrupted one-process run (a constant learning rate, so the shorter first run's schedule is the same).
     */
    @Test
    void aRunResumesWithAnotherNumberOfProcesses(@TempDir Path dir) throws Exception {
        String constant = "train.schedule={type: constant}";
        Path whole = Run.train(config(dir.resolve("whole"), "train.steps=120", constant))
                .dir();
        RunConfig first = config(dir.resolve("split"), "train.steps=60", constant);
        Process p = launch(dir, first, dir.resolve("err.txt"), "--nproc", "2");
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
        Path run = dir.resolve("split").resolve(first.name());
        Run.train(
                config(dir.resolve("split"), "train.steps=120", constant),
                RunOptions.defaults().withResume(run));
        List<Losses> got = losses(run.resolve("metrics.jsonl"));
        // the first run's end-of-run evaluations (val and test after step 60) are the only records the whole run lacks
        got.removeIf(r -> r.step() == 60 && !r.split().equals("train"));
        assertSameLosses(got, losses(whole.resolve("metrics.jsonl")));
    }
}
