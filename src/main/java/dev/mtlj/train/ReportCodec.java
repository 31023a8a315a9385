package dev.mtlj.train;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An evaluation {@link Report} as a string and back, exactly (NaN and infinities included): rank 0 evaluates and the
 * other ranks of a data-parallel run read its report, so early stopping and samplers decide alike everywhere.
 */
final class ReportCodec {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private ReportCodec() {}

    static String encode(Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", r.step()).put("split", r.split()).put("lr", r.lr());
        ObjectNode tasks = o.putObject("tasks");
        r.tasks().forEach((name, t) -> {
            ObjectNode n = tasks.putObject(name);
            n.put("loss", t.loss()).put("weight", t.weight());
            ObjectNode m = n.putObject("metrics");
            t.metrics().forEach(m::put);
        });
        ObjectNode gates = o.putObject("gates");
        r.gates().forEach((task, g) -> {
            ArrayNode a = gates.putArray(task);
            for (double v : g) {
                a.add(v);
            }
        });
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Report decode(String s) {
        JsonNode o;
        try {
            o = JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, TaskReport> tasks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.get("tasks").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, Double> metrics = new LinkedHashMap<>();
            e.getValue()
                    .get("metrics")
                    .fields()
                    .forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().doubleValue()));
            tasks.put(
                    e.getKey(),
                    new TaskReport(
                            e.getValue().get("loss").doubleValue(),
                            e.getValue().get("weight").doubleValue(),
                            metrics));
        }
        Map<String, double[]> gates = new LinkedHashMap<>();
        o.get("gates").fields().forEachRemaining(e -> {
            double[] g = new double[e.getValue().size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = e.getValue().get(i).doubleValue();
            }
            gates.put(e.getKey(), g);
        });
        return new Report(
                o.get("step").asLong(), o.get("split").asText(), o.get("lr").doubleValue(), tasks, gates);
    }
}
