package dev.mtlj.run;

import dev.mtlj.train.Report;
import dev.mtlj.train.TaskReport;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Report} as a fixed-width per-task table for the console and summary.md. */
public final class SummaryTable {
    private SummaryTable() {}

    /** The per-task table of a report: loss, weight and metrics. */
    public static String render(Report r) {
        int w = Math.max(
                4, r.tasks().keySet().stream().mapToInt(String::length).max().orElse(4));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "%-" + w + "s  %12s  %8s  %s%n", "task", "loss", "weight", "metrics (" + r.split() + ")"));
        for (Map.Entry<String, TaskReport> e : r.tasks().entrySet()) {
            StringBuilder m = new StringBuilder();
            e.getValue().metrics().forEach((k, v) -> m.append(String.format(Locale.ROOT, "%s %.4f  ", k, v)));
            double weight = e.getValue().weight();
            sb.append(String.format(
                    Locale.ROOT,
                    "%-" + w + "s  %12.5g  %8s  %s%n",
                    e.getKey(),
                    e.getValue().loss(),
                    Double.isNaN(weight) ? "–" : String.format(Locale.ROOT, "%.4f", weight),
                    m.toString().trim()));
        }
        return sb.toString();
    }
}
