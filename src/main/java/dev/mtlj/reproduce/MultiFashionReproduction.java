package dev.mtlj.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mtlj reproduce multi-fashion}. */
final class MultiFashionReproduction extends Reproduction {
    MultiFashionReproduction(Path dir, boolean quick, long seed) {
        super(dir, quick, seed);
    }

    @Override
    void reproduce() throws IOException {
        header(
                "Balancers on Multi-Fashion",
                "X. Lin, H.-L. Zhen, Z. Li, Q. Zhang, S. Kwong, \"Pareto Multi-Task Learning\","
                        + " NeurIPS 2019 (the Multi-Fashion benchmark); methods as cited in mtlj's balancer javadoc.",
                "Multi-Fashion built by mtlj from Debian's Fashion-MNIST (50,000 train / 10,000 val / 10,000 test), CNN"
                        + " 16-32 channels with batch norm, 128-unit dense layer, Adam 1e-3, batch 128; single-task baselines"
                        + " train with fixed weights (1, 0) and (0, 1).");
        Map<String, String> methods = new LinkedHashMap<>();
        for (String m : List.of("ew", "uw", "gradnorm", "mgda-ub", "pcgrad", "cagrad", "nash-mtl", "upgrad", "famo")) {
            methods.put(m, "{type: " + m + "}");
        }
        methods.put("stl-left", "{type: fixed, weights: {left: 1, right: 0}}");
        methods.put("stl-right", "{type: fixed, weights: {left: 0, right: 1}}");
        md.append("| method | left accuracy | right accuracy | mean |\n|---|---|---|---|\n");
        StringBuilder times = new StringBuilder("\nWall time per method (s, not part of the seeded result):");
        Map<String, double[]> plane = new LinkedHashMap<>();
        Map<String, double[][]> leftWeights = new LinkedHashMap<>();
        Map<String, double[][]> leftLoss = new LinkedHashMap<>();
        Map<String, double[][]> rightLoss = new LinkedHashMap<>();
        for (var e : methods.entrySet()) {
            Arm a = arm(
                    e.getKey(),
                    "data: {type: multi-fashion}",
                    "model: {backbone: {type: cnn, channels: [16, 32], kernel: 3, batch_norm: true, hidden: [128]}}",
                    "balancer: " + e.getValue(),
                    "train: {steps: " + steps(2000, 150) + ", batch_size: 128, eval_every: 0,"
                            + " checkpoint_every: 0, log_every: 50}");
            double l = a.metric("left", "accuracy");
            double r = a.metric("right", "accuracy");
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", e.getKey(), l, r, (l + r) / 2));
            times.append(String.format(Locale.ROOT, " %s %.0f;", e.getKey(), a.seconds()));
            if (!e.getKey().startsWith("stl")) {
                plane.put(e.getKey(), new double[] {l, r});
                leftWeights.put(
                        e.getKey(),
                        new double[][] {a.curves().steps(), a.curves().weight().get("left")});
                leftLoss.put(
                        e.getKey(),
                        new double[][] {a.curves().steps(), a.curves().loss().get("left")});
                rightLoss.put(
                        e.getKey(),
                        new double[][] {a.curves().steps(), a.curves().loss().get("right")});
            }
        }
        Charts.points(
                dir.resolve("accuracy-plane"),
                "Multi-Fashion: test accuracy, left vs right task",
                "left accuracy",
                "right accuracy",
                plane);
        weightChart(
                "weights-left", "Weight of task left over steps (right is its mirror for most methods)", leftWeights);
        Charts.lines(dir.resolve("losses-left"), "Training loss of task left", "step", "loss", leftLoss, true);
        Charts.lines(dir.resolve("losses-right"), "Training loss of task right", "step", "loss", rightLoss, true);
        md.append(times).append("\n");
        md.append("\nSingle-task rows: only the trained task's accuracy is meaningful (the other head stays untrained)."
                + "\n\nPublished: Lin et al. present Multi-Fashion results as Pareto-front plots of the two tasks' accuracies"
                + " (no table of numbers to set beside ours); the methods here are compared on the same plane in"
                + " `accuracy-plane.{png,svg}`. Weights: `weights-left.{png,svg}`; losses: `losses-left.{png,svg}`,"
                + " `losses-right.{png,svg}`.\n");
    }
}
