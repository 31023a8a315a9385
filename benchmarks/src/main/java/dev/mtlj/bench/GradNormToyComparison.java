package dev.mtlj.bench;

import dev.mtlj.config.ConfigLoader;
import dev.mtlj.config.RunConfig;
import dev.mtlj.run.Run;
import dev.mtlj.train.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * GradNorm versus equal weighting on the GradNorm toy (Chen et al., ICML 2018, §4): T regression tasks
 * y_i = σ_i·tanh((B + ε_i)x), x ∈ R^250, y ∈ R^100, trunk 4×100 ReLU, linear heads. Settings: T = 2 with σ = (1, 100)
 * and T = 10 with σ log-spaced over [1, 100] (the paper's T = 10 values were not available to us). Reported: the
 * task-normalised test loss Σ_i L_i/σ_i² (our choice of normalisation; lower is better), mean and standard deviation
 * over seeds, and the learned weights of the first seed.
 *
 * <p>Usage: {@code benchmarks/java GradNormToyComparison [seeds] [steps]}.
 */
public final class GradNormToyComparison {
    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path runs = Files.createTempDirectory("mtlj-gradnorm-toy");
        StringBuilder md = new StringBuilder("# GradNorm vs equal weighting on the GradNorm toy\n\n");
        md.append("Command: `benchmarks/java GradNormToyComparison ")
                .append(seeds)
                .append(' ')
                .append(steps)
                .append("`, ")
                .append(LocalDate.now())
                .append(". Data: 5,000 train / 1,000 val / 1,000 test examples per seed; trunk 4×100 ReLU,")
                .append(" linear heads; Adam lr 1e-3, batch 64, ")
                .append(steps)
                .append(" steps; GradNorm α = 0.12 (the paper's toy")
                .append(
                        " value), weights by Adam at the network's lr. Metric: Σ_i L_i/σ_i² on the test split (lower is better).\n\n");
        md.append(Machine.describe()).append('\n');
        md.append(
                "| setting | method | normalised test loss (mean ± sd over seeds) | per seed | learned weights (seed 1) |\n|---|---|---|---|---|\n");
        List<List<Double>> settings = List.of(
                List.of(1.0, 100.0),
                IntStream.range(0, 10).mapToObj(i -> Math.pow(100, i / 9.0)).toList());
        for (List<Double> sigmas : settings) {
            for (String balancer : List.of("{type: ew}", "{type: gradnorm, alpha: 0.12}")) {
                List<Double> values = new ArrayList<>();
                String weights = "";
                for (int seed = 1; seed <= seeds; seed++) {
                    String yaml = String.join(
                            "\n",
                            "name: toy",
                            "device: cpu",
                            "threads: 2",
                            "seed: " + seed,
                            "output: " + runs,
                            "data: {type: gradnorm-toy, classes: 0, train: 5000, val: 1000, test: 1000, sigmas: "
                                    + sigmas.stream()
                                            .map(s -> String.format(Locale.ROOT, "%.6g", s))
                                            .collect(Collectors.toList())
                                    + "}",
                            "balancer: " + balancer,
                            "train: {steps: " + steps
                                    + ", batch_size: 64, eval_every: 0, checkpoint_every: 0, log_every: 1000}",
                            "");
                    RunConfig cfg = ConfigLoader.parse(yaml, "GradNormToyComparison", List.of());
                    Report test = Run.train(cfg).test();
                    double v = 0;
                    for (int i = 0; i < sigmas.size(); i++) {
                        v += test.tasks().get("y" + (i + 1)).loss() / (sigmas.get(i) * sigmas.get(i));
                    }
                    values.add(v);
                    if (seed == 1) {
                        weights = test.tasks().values().stream()
                                .map(t -> String.format(Locale.ROOT, "%.3g", t.weight()))
                                .collect(Collectors.joining(", "));
                    }
                    System.err.printf(Locale.ROOT, "T=%d %s seed %d: %.5f%n", sigmas.size(), balancer, seed, v);
                }
                double mean = values.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(Double.NaN);
                double sd = Math.sqrt(values.stream()
                                .mapToDouble(x -> (x - mean) * (x - mean))
                                .sum()
                        / Math.max(1, values.size() - 1));
                md.append(String.format(
                        Locale.ROOT,
                        "| T=%d, σ %s | %s | %.4f ± %.4f | %s | %s |%n",
                        sigmas.size(),
                        sigmas.size() == 2 ? "(1, 100)" : "log-spaced 1…100",
                        balancer.contains("gradnorm") ? "GradNorm" : "EW",
                        mean,
                        sd,
                        values.stream()
                                .map(x -> String.format(Locale.ROOT, "%.4f", x))
                                .collect(Collectors.joining(", ")),
                        weights));
            }
        }
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-gradnorm-toy.md");
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out);
    }
}
