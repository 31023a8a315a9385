package dev.mtlj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors exit with code 2 and a one-line message naming the problem; never a stack trace. */
class MainTest {
    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void userError(Outcome o, String expected) {
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void missingConfigFile() {
        userError(
                run("train", "--config", "does-not-exist.yaml"),
                "error: config file 'does-not-exist.yaml' does not exist");
    }

    @Test
    void unknownKeyAndWrongType(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "data: {type: gradnorm-toy}\ntrain: {stepz: 3}\n");
        userError(
                run("train", "--config", cfg.toString()),
                "unknown key 'train.stepz' in " + cfg + "; did you mean 'steps'?");
        Files.writeString(cfg, "data: {type: gradnorm-toy}\ntrain: {steps: many}\n");
        userError(run("train", "--config", cfg.toString()), "bad value for 'train.steps'");
        userError(
                run("train", "--config", cfg.toString(), "--set", "train.steps=5", "--set", "nonsense"),
                "--set 'nonsense' must look like key=value");
    }

    /** {@code mtlj} alone is a usage error: the command list on stderr, exit 2 (it was exit 0, printing to stdout). */
    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Outcome o = run();
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err())
                .contains("Usage: mtlj", "quickstart", "train", "serve")
                .contains("--verbose");
        assertThat(run("--version").out()).startsWith("mtlj 0.2.0-SNAPSHOT");
    }

    /** An unknown command is named even with --help after it (it printed the top-level usage and exited 0). */
    @Test
    void anUnknownCommandIsNamedEvenWithHelp() {
        userError(run("pareto", "--help"), "error: unknown command 'pareto'; commands: quickstart, train");
        userError(run("trian", "--config", "x.yaml"), "unknown command 'trian'; did you mean 'train'?");
    }

    /**
     * Help texts are paragraphs picocli wraps itself: no line of a command's description ends mid-sentence where the
     * source broke it (lines came out ragged: a full line, then a few words).
     */
    @Test
    void helpParagraphsAreNotBrokenByHand() {
        for (String cmd : new String[] {"quickstart", "train", "eval", "aggregate", "serve", "reproduce"}) {
            String help = run(cmd, "--help").out();
            List<String> lines = help.lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i);
                String next = lines.get(i + 1);
                boolean shortBreak = !line.isBlank()
                        && line.length() < 60
                        && !next.isBlank()
                        && Character.isLowerCase(next.strip().charAt(0))
                        && !line.startsWith(" ")
                        && !next.startsWith(" ");
                assertThat(shortBreak)
                        .as("%s --help, after line %d: '%s' / '%s'", cmd, i, line, next)
                        .isFalse();
            }
        }
    }

    /** Typos get a suggestion, and a bad --set is attributed to --set, not to the config file. */
    @Test
    void typosAreSuggestedAndSetErrorsNameSet() {
        Outcome o = run("trian");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("unknown command 'trian'; did you mean 'train'?");
        userError(
                run("quickstart", "--set", "balancer.type=gradnrom"),
                "balancer.type 'gradnrom' is not known; did you mean 'gradnorm'?; allowed: ew,");
        userError(
                run("quickstart", "--set", "train.stepz=5"),
                "unknown key 'train.stepz' in --set train.stepz=5; did you mean 'steps'?");
        userError(
                run("quickstart", "--set", "train.steps=abc"),
                "bad value for 'train.steps' in --set train.steps=abc: expected an integer, got 'abc'");
        userError(
                run("quickstart", "--set", "model.backbone.type=mpl"),
                "model.backbone.type 'mpl' in the embedded quickstart config is not valid; did you mean 'mlp'?; allowed:"
                        + " mlp, cnn, resnet, torchscript");
        userError(run("reproduce", "uw-tyo", "--quick"), "did you mean 'uw-toy'?");
    }

    /** Every command lists a one-line header in the top-level help. */
    @Test
    void everyCommandHasAHeader() {
        String help = run("--help").out();
        for (String cmd : new String[] {"quickstart", "train", "eval", "info", "aggregate", "reproduce", "serve"}) {
            assertThat(help.lines().filter(l -> l.trim().startsWith(cmd + " ")).findFirst())
                    .as(cmd)
                    .hasValueSatisfying(l -> assertThat(l.trim().length()).isGreaterThan(cmd.length() + 10));
        }
    }

    @Test
    void badOptionsAndMissingCheckpoint() {
        Outcome o = run("train", "--bogus");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("Unknown option: '--bogus'");
        userError(run("eval", "--checkpoint", "nowhere.ckpt"), "no checkpoint at 'nowhere.ckpt'");
        userError(run("quickstart", "--device", "tpu"), "device 'tpu' is not valid");
    }

    /** mtlj serve refuses bad models and settings before it listens. */
    @Test
    void serveBadInput(@TempDir Path dir) throws Exception {
        userError(
                run("serve", "--model", dir.resolve("none").toString()),
                "model path '" + dir.resolve("none") + "' does not exist");
        userError(run("serve", "--model", "bad name!=" + dir), "model path 'bad name!=" + dir + "' does not exist");
        userError(
                run("serve", "--model", dir.toString(), "--max-batch-size", "0"), "max batch size must be >= 1, got 0");
        userError(run("serve", "--model", dir.toString(), "--port", "70000"), "port must be 0..65535, got 70000");
        userError(run("serve", "--model", dir.toString(), "--device", "gpu"), "device 'gpu' is not valid");
        userError(run("serve", "--model", dir.toString()), "no checkpoint at");
        userError(
                run("serve", "--model", dir.toString(), "--model-control", "--host", "0.0.0.0"),
                "--model-control on 0.0.0.0 needs a bearer token");
        userError(
                run("serve", "--model", dir.toString(), "--tls-cert", dir.toString()),
                "--tls-cert and --tls-key go together");
        Path shortToken = Files.writeString(dir.resolve("token"), "abc\n");
        userError(
                run("serve", "--model", dir.toString(), "--auth-token-file", shortToken.toString()),
                "the auth token must be at least 16 printable characters");
        userError(run("serve", "--model", dir.toString(), "--auth-inference"), "--auth-inference needs a token");
    }

    /** The sampled-training example runs and its summary reports target vs realised task frequencies. */
    @Test
    void sampledExampleRuns(@TempDir Path dir) throws Exception {
        Outcome o = run(
                "train",
                "--config",
                "examples/sampled.yaml",
                "--set",
                "train.steps=40",
                "--set",
                "train.eval_every=0",
                "--set",
                "device=cpu",
                "--set",
                "output=" + dir,
                "-q");
        assertThat(o.code()).as(o.err()).isZero();
        String summary = Files.readString(dir.resolve("sampled/summary.json"));
        assertThat(summary).contains("\"sampling\"").contains("\"target\"").contains("\"realised\"");
        assertThat(Files.readString(dir.resolve("sampled/metrics.jsonl"))).contains("\"sampling\":{\"probabilities\":");
    }

    /** Tabular data from CSV files with missing labels trains end to end; a malformed file is a user error. */
    @Test
    void csvDataTrains(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,price,clicked\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 120; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            csv.append(a)
                    .append(',')
                    .append(b)
                    .append(',')
                    .append(i % 4 == 0 ? "" : String.valueOf(2 * a - b))
                    .append(',')
                    .append(a + b > 0 ? 1 : 0)
                    .append('\n');
        }
        Files.writeString(dir.resolve("t.csv"), csv);
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "name: tab",
                        "device: cpu",
                        "output: " + dir.resolve("runs"),
                        "data: {type: csv, train: " + dir.resolve("t.csv") + ", val: " + dir.resolve("t.csv")
                                + ", test: " + dir.resolve("t.csv")
                                + ", tasks: {price: {kind: regression}, click: {column: clicked, kind: binary}}}",
                        "train: {steps: 20, batch_size: 16, eval_every: 0}",
                        ""));
        Outcome o = run("train", "--config", cfg.toString(), "-q");
        assertThat(o.code()).as(o.err()).isZero();
        Files.writeString(dir.resolve("t.csv"), "a,b,price,clicked\n1,2,3\n");
        userError(run("train", "--config", cfg.toString(), "-q"), "line 2: 3 fields, the header has 4");
    }

    /** Sampler mistakes are named before training starts. */
    @Test
    void badSamplerSettings(@TempDir Path dir) {
        String[] base = {
            "train",
            "--config",
            "examples/sampled.yaml",
            "--set",
            "train.steps=5",
            "--set",
            "device=cpu",
            "--set",
            "output=" + dir,
            "--set"
        };
        userError(run(concat(base, "sampler={type: bogus}")), "sampler.type 'bogus' is not known; allowed: annealed,");
        userError(run(concat(base, "sampler={type: temperature, temperature: 0}")), "sampler.temperature must be > 0");
        userError(
                run(concat(base, "sampler={type: fixed, probabilities: {big: 0.5, mid: 0.2, small: 0.2}}")),
                "sampler.probabilities sum to 0.8999999999999999; they must sum to 1 (within 1e-6)");
        userError(run(concat(base, "balancer={type: gradnorm}")), "balancer 'gradnorm' needs every task in every step");
        userError(run(concat(base, "data.tasks.small.train=0")), "task 'small' has an empty training set");
        userError(run(concat(base, "tasks.small.batch_size=0")), "tasks.small.batch_size must be >= 1, got 0");
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    /** info names the natives and agrees with libtorch about CUDA (CPU natives in CI, GPU natives on a GPU host). */
    @Test
    void infoDescribesTheInstallation() {
        Outcome o = run("info");
        assertThat(o.code()).isZero();
        boolean cuda = dev.mtlj.engine.Engine.cudaAvailable();
        assertThat(o.out())
                .contains("libtorch:    JavaCPP presets 2.10.0-1.5.13, linux-x86_64 ")
                .contains(cuda ? "cuda:        available, " : "cuda:        not available");
    }

    private static Outcome aggregate(String stdin, String... args) {
        java.io.InputStream old = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return run(args);
        } finally {
            System.setIn(old);
        }
    }

    /** MGDA on example B, rows (1, 0) and (−1, 0.1): α = (201, 200)/401, canonical w = 2α, d = (1/401, 20/401)·2. */
    @Test
    void aggregateAppliesAMethodToAJacobian() throws Exception {
        Outcome o = aggregate("{\"jacobian\": [[1, 0], [-1, 0.1]]}", "aggregate", "--method", "mgda");
        assertThat(o.code()).isZero();
        com.fasterxml.jackson.databind.JsonNode out =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.out());
        assertThat(out.get("weights").get(0).asDouble())
                .isCloseTo(402.0 / 401, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(out.get("direction").get(1).asDouble())
                .isCloseTo(40.0 / 401, org.assertj.core.api.Assertions.within(1e-12));
        Outcome nat =
                aggregate("{\"jacobian\": [[1, 0], [-1, 0.1]]}", "aggregate", "--method", "mgda", "--scale", "native");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(nat.out())
                        .get("weights")
                        .get(0)
                        .asDouble())
                .isCloseTo(201.0 / 401, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aggregateRejectsBadInput() {
        userError(aggregate("[1, 2", "aggregate", "--method", "mgda"), "stdin is not valid JSON");
        userError(
                aggregate("{\"jacobian\": [[1, 0], [2]]}", "aggregate", "--method", "mgda"),
                "\"jacobian[1]\" must be a list of 2 numbers");
        userError(aggregate("{\"jacobian\": [[1, \"x\"]]}", "aggregate", "--method", "mgda"), "is not a number");
        userError(
                aggregate("{\"jacobian\": [[1, 0], [0, 1]]}", "aggregate", "--method", "uw"),
                "method 'uw' needs \"losses\"");
        userError(
                aggregate("{\"jacobian\": [[1, 0], [0, 1]], \"grads\": 1}", "aggregate", "--method", "mgda"),
                "unknown input key 'grads'");
        userError(
                aggregate("{\"jacobian\": [[1, 0], [0, 1]]}", "aggregate", "--method", "mdga"),
                "balancer.type 'mdga' is not known");
    }

    /**
     * The probe's bounds on aggregate: a duplicate key and trailing garbage are refused (they were accepted), more tasks
     * than the methods are tested for is refused before any work (5,000 × 2 ran past 60 s at 3–5 GB), and a finite
     * Jacobian whose Gramian overflows is exit 2, not a trace.
     */
    @Test
    void aggregateBoundsItsInput() {
        userError(
                aggregate("{\"jacobian\": [[1, 0]], \"jacobian\": [[0, 1]]}", "aggregate", "--method", "mgda"),
                "Duplicate field 'jacobian'");
        userError(
                aggregate("{\"jacobian\": [[1, 0]]} garbage", "aggregate", "--method", "mgda"),
                "stdin is not valid JSON");
        StringBuilder many = new StringBuilder("{\"jacobian\": [");
        for (int i = 0; i < 5000; i++) {
            many.append(i == 0 ? "" : ",").append("[1, 2]");
        }
        userError(
                aggregate(many.append("]}").toString(), "aggregate", "--method", "upgrad"),
                "the Jacobian is 5000 × 2; aggregate takes at most 500 tasks");
        for (String jac : new String[] {"[[1e308, 1e308], [1e308, -1e308]]", "[[1e300, 0], [0, 1e-300]]"}) {
            userError(
                    aggregate("{\"jacobian\": " + jac + "}", "aggregate", "--method", "mgda"),
                    "its Gramian entries overflow float64");
        }
    }

    @Test
    void helpOnEachCommand() {
        for (String cmd : new String[] {"quickstart", "train", "eval", "aggregate", "serve"}) {
            Outcome o = run(cmd, "--help");
            assertThat(o.code()).isZero();
            assertThat(o.out()).contains("Usage: mtlj " + cmd);
        }
    }

    /** The whole path on a tiny config: train, then eval the written run; the table lists every task. */
    @Test
    void trainThenEvalATinyRun(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "name: tiny",
                        "device: cpu",
                        "output: " + dir.resolve("runs"),
                        "data: {type: gradnorm-toy, sigmas: [1, 10], input_dim: 8, output_dim: 4, classes: 3, train: 64, val: 32, test: 32}",
                        "model: {backbone: {type: mlp, hidden: [8]}}",
                        "train: {steps: 6, batch_size: 16, log_every: 2, eval_every: 3, checkpoint_every: 3,",
                        "        early_stopping: {metric: cls.accuracy, patience: 5}}",
                        ""));
        Outcome t = run("train", "--config", cfg.toString(), "--quiet");
        assertThat(t.code()).isZero();
        Path runDir = dir.resolve("runs/tiny");
        assertThat(runDir.resolve("checkpoints/latest.ckpt")).exists();
        assertThat(runDir.resolve("config.yaml")).exists();
        String metrics = Files.readString(runDir.resolve("metrics.jsonl"));
        // 3 training records (after steps 2, 4, 6: steps count from 1), 2 validation records, 1 test record
        assertThat(metrics.lines()).hasSize(6);
        assertThat(metrics.lines().findFirst().orElseThrow())
                .contains(
                        "\"step\":2",
                        "\"split\":\"train\"",
                        "\"scale\":\"canonical\"",
                        "\"kappa\":1.0",
                        "\"y1\":{\"loss\":",
                        "\"weight\":1.0",
                        "\"r2\":",
                        "\"accuracy\":");
        assertThat(Files.readString(runDir.resolve("summary.json"))).contains("\"steps_done\" : 6");
        Outcome e = run("eval", "--checkpoint", runDir.toString(), "--split", "val", "--quiet");
        assertThat(e.code()).isZero();
        // with early stopping the run directory means its best checkpoint, from one of the validations (steps 3, 6)
        assertThat(e.out())
                .containsPattern("checkpoint "
                        + java.util.regex.Pattern.quote(
                                runDir.resolve("checkpoints/best.ckpt").toString())
                        + " \\(after step [36]; weights: the balancer's last\\)\n");
        Outcome resumed = run("train", "--resume", runDir.toString(), "--set", "train.steps=8", "--quiet");
        assertThat(resumed.code()).isZero();
        assertThat(Files.readString(runDir.resolve("summary.json"))).contains("\"steps_done\" : 8");
    }

    /** A diverging run (lr 1e30) is a one-line user error, exit 2 (before: "internal error (please report)" and a trace). */
    @Test
    void aDivergingRunExitsTwoWithOneLine(@TempDir Path dir) {
        Outcome o = run(
                "quickstart",
                "--device",
                "cpu",
                "--steps",
                "30",
                "--output",
                dir.toString(),
                "-q",
                "--set",
                "train.optimizer.lr=1e30",
                "--set",
                "balancer={type: ew}");
        userError(o, "error: ");
        assertThat(o.err()).contains("lower the learning rate").contains("train.on_nonfinite: skip");
        assertThat(o.err().strip().lines()).hasSize(1);
    }

    /** A damaged checkpoint is refused by eval with exit 2, naming the file (before: exit 0 and a MAE of 4.8e25). */
    @Test
    void evalRefusesADamagedCheckpoint(@TempDir Path dir) throws Exception {
        assertThat(run("quickstart", "--device", "cpu", "--steps", "20", "--output", dir.toString(), "-q")
                        .code())
                .isZero();
        Path ckpt = dir.resolve("quickstart/checkpoints/latest.ckpt");
        byte[] b = Files.readAllBytes(ckpt);
        int at = (int) (b.length * 0.3);
        for (int k = 0; k < 16; k++) {
            b[at + k] ^= (byte) 0xa5;
        }
        Files.write(ckpt, b);
        userError(
                run("eval", "--checkpoint", ckpt.toString()),
                "checkpoint '" + ckpt + "' is corrupt (checksum mismatch)");
        userError(
                run("train", "--resume", dir.resolve("quickstart").toString(), "-q"), "is corrupt (checksum mismatch)");
        userError(run("serve", "--model", ckpt.toString(), "--port", "0"), "is corrupt (checksum mismatch)");
    }

    /** Data that cannot train a task is refused before training: a task with no label in its training split. */
    @Test
    void aTaskWithoutTrainingLabelsIsRefused(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("train.csv"), "x1,x2,y\n1,2,\n3,4,\n5,6,\n");
        Path other = Files.writeString(dir.resolve("val.csv"), "x1,x2,y\n1,2,0.5\n");
        Path cfg = Files.writeString(dir.resolve("c.yaml"), """
                data: {type: csv, train: %s, val: %s, test: %s, tasks: {y: {kind: regression}}}
                train: {steps: 5, batch_size: 2}
                output: %s
                """.formatted(train, other, other, dir.resolve("runs")));
        userError(
                run("train", "--config", cfg.toString(), "-q"),
                "task 'y' has no label in the training split of '" + train + "'");
    }
}
