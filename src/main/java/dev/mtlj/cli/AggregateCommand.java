package dev.mtlj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlj.UserInputException;
import dev.mtlj.balance.Balancer;
import dev.mtlj.balance.BalancerContext;
import dev.mtlj.balance.Balancers;
import dev.mtlj.balance.Standalone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtlj aggregate --method NAME [--param k=v]... [--seed N] [--scale canonical|native] < input.json}. */
@Command(
        name = "aggregate",
        header = "Apply a balancer to a Jacobian read as JSON on stdin.",
        mixinStandardHelpOptions = true,
        description = {
            "Apply a balancer to a Jacobian read as JSON on stdin:",
            "  {\"jacobian\": [[...], ...], \"losses\": [...], \"history\": [[...], ...]}",
            "and print {\"weights\": [...], \"direction\": [...], \"extras\": {...}} in float64.",
            "Rows are task gradients; losses are needed by loss-based methods; history (oldest first) gives DWA its"
                    + " last two epoch means and GradNorm its initial losses (first row). At most 500 tasks and 1e7"
                    + " Jacobian entries."
        })
final class AggregateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Most bytes read from stdin. */
    static final int MAX_INPUT_BYTES = 64 << 20;

    /** Most tasks: every method is tested to answer in bounded time up to here (balance/ManyTasksTest). */
    static final int MAX_TASKS = 500;

    /** Most Jacobian entries (tasks × parameters). */
    static final long MAX_ENTRIES = 10_000_000L;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--method",
            required = true,
            description = "Balancer name, e.g. mgda, upgrad, pcgrad, cagrad, nash-mtl.")
    String method;

    @Option(
            names = "--param",
            paramLabel = "KEY=VALUE",
            description = "Method parameter, e.g. --param c=0.4 (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--seed",
            description = "Seed of randomised methods (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(
            names = "--scale",
            description = "canonical (equal weighting = 1) or native (default: ${DEFAULT-VALUE}).",
            defaultValue = "canonical")
    String scale;

    @Override
    public Integer call() throws IOException {
        if (!scale.equals("canonical") && !scale.equals("native")) {
            throw new UserInputException("--scale '" + scale + "' is not valid; allowed: canonical, native");
        }
        byte[] bytes = System.in.readNBytes(MAX_INPUT_BYTES + 1);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new UserInputException("stdin holds more than " + (MAX_INPUT_BYTES >> 20) + " MiB; aggregate takes at"
                    + " most " + MAX_TASKS + " tasks and " + MAX_ENTRIES + " Jacobian entries");
        }
        JsonNode in;
        try {
            in = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserInputException("stdin is not valid JSON: " + e.getOriginalMessage());
        }
        if (in == null || !in.isObject()) {
            throw new UserInputException("stdin must hold a JSON object with a \"jacobian\" key");
        }
        in.fieldNames().forEachRemaining(k -> {
            if (!List.of("jacobian", "losses", "history").contains(k)) {
                throw new UserInputException("unknown input key '" + k + "'; allowed: jacobian, losses, history");
            }
        });
        double[][] jac = matrix(in.get("jacobian"), "jacobian", -1);
        if (jac == null || jac.length == 0) {
            throw new UserInputException("\"jacobian\" is required: a non-empty list of equal-length number lists");
        }
        int t = jac.length;
        if (t > MAX_TASKS || (long) t * jac[0].length > MAX_ENTRIES) {
            throw new UserInputException("the Jacobian is " + t + " × " + jac[0].length + "; aggregate takes at most "
                    + MAX_TASKS + " tasks and " + MAX_ENTRIES + " entries");
        }
        for (int i = 0; i < t; i++) {
            if (norm(jac[i]) > Math.sqrt(Double.MAX_VALUE)) {
                throw new UserInputException("jacobian[" + i + "] has norm " + norm(jac[i]) + ": its Gramian entries"
                        + " overflow float64 (above 1.3e154); rescale the Jacobian");
            }
        }
        double[] losses = vector(in.get("losses"), "losses", t);
        double[][] history = matrix(in.get("history"), "history", t);
        Standalone.Result r;
        try (Balancer b = Balancers.create(method, parseParams(), BalancerContext.of(t, seed))) {
            r = Standalone.apply(b, jac, losses, history, scale.equals("native"), seed);
        }
        ObjectNode out = JSON.createObjectNode();
        array(out.putArray("weights"), r.weights());
        array(out.putArray("direction"), r.direction());
        out.set("extras", JSON.valueToTree(r.extras()));
        spec.commandLine().getOut().println(JSON.writeValueAsString(out));
        return 0;
    }

    private Map<String, Object> parseParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("--param '" + p + "' must look like key=value");
            }
            String v = p.substring(eq + 1);
            Object value;
            try {
                value = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                value = v;
            }
            m.put(p.substring(0, eq), value);
        }
        return m;
    }

    /** The Euclidean norm, scaled so that it does not overflow where the norm itself is finite. */
    private static double norm(double[] row) {
        double max = 0;
        for (double x : row) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0) {
            return 0;
        }
        double sum = 0;
        for (double x : row) {
            sum += (x / max) * (x / max);
        }
        return max * Math.sqrt(sum);
    }

    private static void array(ArrayNode a, double[] xs) {
        for (double x : xs) {
            a.add(x);
        }
    }

    private static double[] vector(JsonNode n, String key, int expected) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || (expected >= 0 && n.size() != expected)) {
            throw new UserInputException(
                    "\"" + key + "\" must be a list of " + (expected >= 0 ? expected + " " : "") + "numbers");
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            if (!n.get(i).isNumber()) {
                throw new UserInputException("\"" + key + "\"[" + i + "] is not a number: " + n.get(i));
            }
            v[i] = n.get(i).asDouble();
            if (!Double.isFinite(v[i])) {
                throw new UserInputException("\"" + key + "\"[" + i + "] is not finite");
            }
        }
        return v;
    }

    private static double[][] matrix(JsonNode n, String key, int width) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new UserInputException("\"" + key + "\" must be a list of number lists");
        }
        double[][] m = new double[n.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(n.get(i), key + "[" + i + "]", width >= 0 ? width : (i == 0 ? -1 : m[0].length));
            if (m[i] == null || m[i].length == 0) {
                throw new UserInputException("\"" + key + "\"[" + i + "] must be a non-empty list of numbers");
            }
        }
        return m;
    }
}
