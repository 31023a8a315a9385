package dev.mtlj.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mtlj reproduce gradnorm-toy}. */
final class GradNormToyReproduction extends Reproduction {
    GradNormToyReproduction(Path dir, boolean quick, long seed) {
        super(dir, quick, seed);
    }

    @Override
    void reproduce() throws IOException {
        List<Double> sigmas = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> Math.pow(100, i / 9.0))
                .toList();
        String data = "data: {type: gradnorm-toy, classes: 0, train: 5000, val: 1000, test: 1000, sigmas: "
                + sigmas.stream()
                        .map(x -> String.format(Locale.ROOT, "%.6g", x))
                        .collect(Collectors.toList()) + "}";
        String train = "train: {steps: " + steps(3000, 300)
                + ", batch_size: 64, eval_every: 0, checkpoint_every: 0, log_every: 50}";
        header(
                "GradNorm on the GradNorm toy",
                "Z. Chen, V. Badrinarayanan, C.-Y. Lee, A. Rabinovich, \"GradNorm: Gradient"
                        + " Normalization for Adaptive Loss Balancing in Deep Multitask Networks\", ICML 2018, §4 (toy example).",
                "T = 10 regression tasks y_i = σ_i·tanh((B + ε_i)x), σ log-spaced over [1, 100] (the paper's exact σ values"
                        + " are not published), trunk 4×100 ReLU, Adam 1e-3, batch 64; GradNorm α = 0.12 (the paper's toy value).");
        Arm ew = arm(
                "ew",
                data,
                "model: {backbone: {type: mlp, hidden: [100, 100, 100, 100]}}",
                "balancer: {type: ew}",
                train);
        Arm gn = arm(
                "gradnorm",
                data,
                "model: {backbone: {type: mlp, hidden: [100, 100, 100, 100]}}",
                "balancer: {type: gradnorm, alpha: 0.12}",
                train);
        md.append(
                "| method | Σ_i L_i/σ_i² on the test split (lower is better) | learned weights (canonical scale) |\n|---|---|---|\n");
        for (Arm a : List.of(ew, gn)) {
            double v = 0;
            for (int i = 0; i < sigmas.size(); i++) {
                v += a.metric("y" + (i + 1), "loss") / (sigmas.get(i) * sigmas.get(i));
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.5f | %s |%n",
                    a.label(),
                    v,
                    a.test().tasks().values().stream()
                            .map(t -> String.format(Locale.ROOT, "%.3g", t.weight()))
                            .collect(Collectors.joining(", "))));
        }
        md.append(
                "\nPublished: the paper shows the toy as curves (Fig. 2: test-loss ratios and weights over time) with no"
                        + " table; its claim is that GradNorm drives the weights of high-σ tasks down until all tasks train at a"
                        + " similar rate and reaches a lower normalised loss than equal weighting. Compare the learned weights above"
                        + " (falling with σ_i) and `weights-gradnorm.png`.\n\n");
        Map<String, double[][]> w = new LinkedHashMap<>();
        gn.curves()
                .weight()
                .forEach((t, v) -> w.put(t, new double[][] {gn.curves().steps(), v}));
        weightChart("weights-gradnorm", "GradNorm: task weights", w);
        lossChart(ew);
        lossChart(gn);
        md.append("Charts: `weights-gradnorm.{png,svg}`, `losses-ew.{png,svg}`, `losses-gradnorm.{png,svg}`.\n");
    }
}
