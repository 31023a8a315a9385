package dev.mtlj.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlj.UserInputException;
import dev.mtlj.train.Report;
import dev.mtlj.train.TaskReport;
import dev.mtlj.train.TrainingListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON object per report to {@code metrics.jsonl}:
 * {@code {"step", "split", "lr", "balancer", "scale", "kappa", "tasks": {name: {"loss", "weight", <metric>...}}}};
 * {@code step} counts steps done (1-based, as the console counts: the record after the 50th step says 50)
 * (weights on the canonical scale; native = weight/kappa); evaluation records of gated architectures add
 * {@code "gates": {task: [mean gate per expert]}}; training records of sampled training add
 * {@code "sampling": {"probabilities": {task: p}, "drawn": {task: draws since the previous record}}}.
 * Non-finite numbers are written as null (JSON has no NaN).
 */
public final class MetricsJsonl implements TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsJsonl.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel out;
    private final String balancer;
    private final double kappa;

    /**
     * @param kappa the balancer's factor from native to the canonical scale in which weights are written
     */
    public MetricsJsonl(Path file, String balancer, double kappa) throws IOException {
        this.file = file;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.balancer = balancer;
        this.kappa = kappa;
    }

    /**
     * Keeps the records of the first {@code stepsDone} steps, dropping later ones (used when resuming, so replayed
     * steps are not listed twice). A
     * torn last line (the writer was killed mid-record) is dropped with a warning; a damaged line before it is an
     * error naming the line.
     */
    public static void truncate(Path file, long stepsDone) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String text =
                new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // a torn UTF-8 tail decodes to U+FFFD
        List<String> lines = List.of(text.split("\n", -1));
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode record = parse(line);
            if (record == null && i == lines.size() - 1) { // no newline after it: its writer was stopped mid-record
                LOG.warn("{}: dropped a partly written last record", file);
                continue;
            }
            if (record == null) {
                throw new UserInputException(file + " line " + (i + 1) + " is not a JSON record; the metrics file is "
                        + "damaged (fix or remove that line, then resume)");
            }
            if (record.path("step").asLong() <= stepsDone) {
                keep.add(line);
            }
        }
        dev.mtlj.checkpoint.AtomicFiles.writeString(file, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void onReport(Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", r.step() + 1);
        o.put("split", r.split());
        number(o, "lr", r.lr());
        o.put("balancer", balancer);
        o.put("scale", "canonical");
        o.put("kappa", kappa);
        ObjectNode tasks = o.putObject("tasks");
        for (Map.Entry<String, TaskReport> e : r.tasks().entrySet()) {
            ObjectNode t = tasks.putObject(e.getKey());
            number(t, "loss", e.getValue().loss());
            number(t, "weight", e.getValue().weight());
            e.getValue().metrics().forEach((k, v) -> number(t, k, v));
        }
        if (!r.gates().isEmpty()) {
            ObjectNode gates = o.putObject("gates");
            r.gates().forEach((task, mean) -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = gates.putArray(task);
                for (double v : mean) {
                    a.add(v);
                }
            });
        }
        if (r.sampling() != null) {
            ObjectNode sampling = o.putObject("sampling");
            ObjectNode p = sampling.putObject("probabilities");
            ObjectNode drawn = sampling.putObject("drawn");
            int k = 0;
            for (String task : r.tasks().keySet()) {
                number(p, task, r.sampling().probabilities()[k]);
                drawn.put(task, r.sampling().drawn()[k]);
                k++;
            }
        }
        append((o.toString() + "\n").getBytes(StandardCharsets.UTF_8), r.step() + 1);
    }

    /**
     * Appends one whole record or nothing: a write that fails part-way (a full disk) is cut back to the previous
     * record's end, and the run stops with one line naming the file and the cause.
     */
    private void append(byte[] record, long step) {
        long end = -1;
        try {
            end = out.size();
            ByteBuffer buf = ByteBuffer.wrap(record);
            while (buf.hasRemaining()) {
                out.write(buf, end + buf.position());
            }
        } catch (IOException e) {
            String undone = "";
            if (end >= 0) {
                try {
                    out.truncate(end);
                } catch (IOException again) {
                    undone =
                            "; the partial record could not be removed (" + again.getMessage() + "), a resume drops it";
                }
            }
            throw new RunWriteException(
                    "could not append step " + step + "'s record to " + file + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + undone
                            + "; the run stopped; the records before it and the last checkpoint are intact (free space, then"
                            + " resume the run)",
                    e);
        }
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
