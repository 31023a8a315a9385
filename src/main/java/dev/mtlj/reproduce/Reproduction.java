package dev.mtlj.reproduce;

import dev.mtlj.config.ConfigLoader;
import dev.mtlj.run.Run;
import dev.mtlj.train.Report;
import dev.mtlj.train.TaskReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One paper experiment reproduced through the ordinary run machinery: its arms are seeded runs (CPU runs repeat
 * exactly), its report is {@code report.md} beside charts as PNG and SVG. Subclasses write {@link #reproduce()};
 * the shared pieces — the report header, training an arm, charts — live here.
 */
abstract class Reproduction {
    final Path dir;
    final boolean quick;
    final long seed;
    final StringBuilder md = new StringBuilder();

    Reproduction(Path dir, boolean quick, long seed) {
        this.dir = dir;
        this.quick = quick;
        this.seed = seed;
    }

    /** Trains the arms and appends the report to {@link #md}. */
    abstract void reproduce() throws IOException;

    void header(String title, String paper, String setup) {
        md.append("# ")
                .append(title)
                .append("\n\n")
                .append("Paper: ")
                .append(paper)
                .append("\n\n")
                .append("Command: `./mtlj reproduce ")
                .append(dir.getFileName())
                .append(quick ? " --quick" : "")
                .append(" --seed ")
                .append(seed)
                .append("` (")
                .append(quick ? "quick version: short runs" : "full version")
                .append("). ")
                .append(setup)
                .append("\n\n");
    }

    /** Trains one arm; returns its test report and training curves. */
    Arm arm(String label, String... yaml) throws IOException {
        String text = String.join(
                "\n",
                "name: " + label,
                "device: cpu",
                "seed: " + seed,
                "output: " + dir.resolve("runs"),
                String.join("\n", yaml),
                "");
        Run.Result r = Run.train(ConfigLoader.parse(text, "reproduce " + dir.getFileName() + "/" + label, List.of()));
        return new Arm(label, r.test(), Curves.read(r.dir().resolve("metrics.jsonl")), r.seconds());
    }

    record Arm(String label, Report test, Curves curves, double seconds) {
        double metric(String task, String name) {
            TaskReport t = test.tasks().get(task);
            return name.equals("loss") ? t.loss() : t.metrics().get(name);
        }
    }

    int steps(int full, int short_) {
        return quick ? short_ : full;
    }

    void lossChart(Arm a) throws IOException {
        Map<String, double[][]> s = new LinkedHashMap<>();
        a.curves().loss().forEach((t, v) -> s.put(t, new double[][] {a.curves().steps(), v}));
        Charts.lines(
                dir.resolve("losses-" + a.label()), a.label() + ": training loss per task", "step", "loss", s, true);
    }

    void weightChart(String file, String title, Map<String, double[][]> series) throws IOException {
        Charts.lines(dir.resolve(file), title, "step", "weight (canonical scale)", series, false);
    }
}
