package dev.mtlj.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mtlj.checkpoint.AtomicFiles;
import dev.mtlj.config.RunConfig;
import dev.mtlj.train.FitResult;
import dev.mtlj.train.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished run's {@code summary.json} and {@code summary.md}: steps, timing, final test metrics and, for sampled
 * training, each task's target and realised sampling frequency. Written atomically.
 */
final class RunSummary {
    private RunSummary() {}

    static void write(
            Path dir, RunConfig config, Report test, FitResult fit, double seconds, long[] drawn, double[] target) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", config.name());
        s.put("steps_done", fit.stepsDone());
        s.put("stopped_early", fit.stoppedEarly());
        s.put("best_step", fit.bestStep());
        s.put("skipped_steps", fit.skippedSteps());
        s.put("seconds", seconds);
        s.put("balancer", config.balancerType());
        Map<String, Object> tasks = new LinkedHashMap<>();
        test.tasks().forEach((k, v) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("loss", v.loss());
            t.put("weight", v.weight());
            t.putAll(v.metrics());
            tasks.put(k, t);
        });
        s.put("test", tasks);
        String samplingTable = "";
        if (drawn != null) {
            long all = java.util.Arrays.stream(drawn).sum();
            Map<String, Object> sampling = new LinkedHashMap<>();
            StringBuilder md =
                    new StringBuilder("\ntask sampling (" + config.sampler().get("type") + "):\n");
            md.append(String.format(
                    java.util.Locale.ROOT, "%-10s %10s %10s %10s%n", "task", "target", "realised", "draws"));
            int k = 0;
            for (String name : test.tasks().keySet()) {
                double realised = all == 0 ? 0 : (double) drawn[k] / all;
                sampling.put(name, Map.of("target", target[k], "realised", realised, "draws", drawn[k]));
                md.append(String.format(
                        java.util.Locale.ROOT, "%-10s %10.4f %10.4f %10d%n", name, target[k], realised, drawn[k]));
                k++;
            }
            s.put("sampling", sampling);
            samplingTable = md.toString();
        }
        try {
            AtomicFiles.writeString(
                    dir.resolve("summary.json"),
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(s));
            AtomicFiles.writeString(
                    dir.resolve("summary.md"),
                    "# " + config.name() + "\n\n```\n" + SummaryTable.render(test) + samplingTable + "```\n");
        } catch (IOException e) {
            throw new RunWriteException(
                    "could not write the summary in " + dir + ": " + e.getMessage()
                            + "; training finished and its last checkpoint and metrics.jsonl are complete",
                    e);
        }
    }
}
