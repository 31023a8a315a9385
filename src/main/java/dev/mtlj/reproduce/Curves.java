package dev.mtlj.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-task training loss and weight over steps, read back from a run's metrics.jsonl training records. */
record Curves(double[] steps, Map<String, double[]> loss, Map<String, double[]> weight) {
    static Curves read(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> train = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = json.readTree(line);
            if ("train".equals(n.get("split").asText())) {
                train.add(n);
            }
        }
        double[] steps =
                train.stream().mapToDouble(n -> n.get("step").asDouble()).toArray(); // steps done
        Map<String, double[]> loss = new LinkedHashMap<>();
        Map<String, double[]> weight = new LinkedHashMap<>();
        if (!train.isEmpty()) {
            train.get(0).get("tasks").fieldNames().forEachRemaining(t -> {
                loss.put(
                        t,
                        train.stream()
                                .mapToDouble(n -> value(n.get("tasks").get(t).get("loss")))
                                .toArray());
                weight.put(
                        t,
                        train.stream()
                                .mapToDouble(n -> value(n.get("tasks").get(t).get("weight")))
                                .toArray());
            });
        }
        return new Curves(steps, loss, weight);
    }

    private static double value(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }
}
