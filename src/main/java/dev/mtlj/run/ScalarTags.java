package dev.mtlj.run;

import dev.mtlj.train.Report;
import dev.mtlj.train.TaskReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A report's numbers as tagged scalars, as TensorBoard and MLflow show them: per task {@code <split>/loss/<task>},
 * {@code <split>/weight/<task>} and {@code <split>/<metric>/<task>}; for training records {@code train/lr} and, in
 * sampled training, {@code train/sampling_probability/<task>}. Non-finite values are left out (metrics.jsonl
 * writes them as null).
 */
final class ScalarTags {
    private ScalarTags() {}

    static Map<String, Double> of(Report r) {
        String split = r.split();
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, TaskReport> t : r.tasks().entrySet()) {
            values.put(split + "/loss/" + t.getKey(), t.getValue().loss());
            values.put(split + "/weight/" + t.getKey(), t.getValue().weight());
            t.getValue().metrics().forEach((m, v) -> values.put(split + "/" + m + "/" + t.getKey(), v));
        }
        if (split.equals("train")) {
            values.put("train/lr", r.lr());
            if (r.sampling() != null) {
                int k = 0;
                for (String task : r.tasks().keySet()) {
                    values.put(
                            "train/sampling_probability/" + task, r.sampling().probabilities()[k++]);
                }
            }
        }
        values.values().removeIf(v -> !Double.isFinite(v));
        return values;
    }
}
