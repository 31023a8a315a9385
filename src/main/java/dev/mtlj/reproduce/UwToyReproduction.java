package dev.mtlj.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code mtlj reproduce uw-toy}. */
final class UwToyReproduction extends Reproduction {
    UwToyReproduction(Path dir, boolean quick, long seed) {
        super(dir, quick, seed);
    }

    @Override
    void reproduce() throws IOException {
        int steps = steps(10000, 300);
        header(
                "Uncertainty weighting on its toy",
                "A. Kendall, Y. Gal, R. Cipolla, \"Multi-Task Learning Using Uncertainty"
                        + " to Weigh Losses for Scene Geometry and Semantics\", CVPR 2018; toy of Y. Gal's public example notebook.",
                String.format(
                                Locale.ROOT,
                                "y1 = 2x + 8 + 10ε, y2 = 3x + 3 + ε, 1,000 training points; shared 1→1024 ReLU"
                                        + " layer, linear heads; %,d steps",
                                steps)
                        + " (the notebook: 2,000 epochs of 100 points in batches of 20); Adam"
                        + " 1e-3, batch 20. UW minimises Σ ½e^{−s_i}L_i + s_i/2, so e^{s_i} tracks L_i (the MSE) and the"
                        + " learned noise scale is σ_i = e^{s_i/2} = √(½/w_i).");
        Arm uw = arm(
                "uw",
                "data: {type: uw-toy}",
                "model: {backbone: {type: mlp, hidden: [1024]}}",
                "balancer: {type: uw}",
                "train: {steps: " + steps + ", batch_size: 20, eval_every: 0, checkpoint_every: 0, log_every: 50}");
        double s1 = Math.sqrt(0.5 / uw.test().tasks().get("y1").weight());
        double s2 = Math.sqrt(0.5 / uw.test().tasks().get("y2").weight());
        md.append("| | σ₁ | σ₂ |\n|---|---|---|\n");
        md.append("| true noise scales | 10 | 1 |\n| public reference run (Gal's notebook) | 8.59 | 0.92 |\n");
        md.append(String.format(Locale.ROOT, "| ours | %.2f | %.2f |%n", s1, s2));
        md.append(String.format(
                Locale.ROOT,
                "%nTest MSE: y1 %.2f (noise variance 100), y2 %.3f (noise variance 1).%n%n",
                uw.metric("y1", "loss"),
                uw.metric("y2", "loss")));
        Map<String, double[][]> sig = new LinkedHashMap<>();
        uw.curves()
                .weight()
                .forEach((t, v) -> sig.put("σ " + t, new double[][] {
                    uw.curves().steps(),
                    java.util.Arrays.stream(v).map(x -> Math.sqrt(0.5 / x)).toArray()
                }));
        double[] ends = {uw.curves().steps()[0], uw.curves().steps()[uw.curves().steps().length - 1]};
        sig.put("true σ₁ = 10", new double[][] {ends, {10, 10}});
        sig.put("true σ₂ = 1", new double[][] {ends, {1, 1}});
        sig.put("published σ₁ = 8.59", new double[][] {ends, {8.59, 8.59}});
        sig.put("published σ₂ = 0.92", new double[][] {ends, {0.92, 0.92}});
        Charts.lines(dir.resolve("sigma"), "UW: learned noise scales", "step", "σ", sig, false);
        lossChart(uw);
        if (steps < 10000) {
            md.append(String.format(
                    Locale.ROOT,
                    "This is the --quick run: %,d steps instead of 10,000. Each s_i starts at 0 (σ = 1) and Adam moves it"
                            + " by about its learning rate, 10⁻³, per step, so after %,d steps σ_i can be at most about"
                            + " e^(%,d·10⁻³/2) = %.2f: the gap to the published values is the budget, not the method.%n%n",
                    steps,
                    steps,
                    steps,
                    Math.exp(steps * 1e-3 / 2)));
        }
        md.append(
                "σ₁ is still rising at the last step (Adam moves s by about its learning rate, 10⁻³, per step; s₁ must travel"
                        + " to ln 100 ≈ 4.6), which is why both the reference run and ours end below 10. Charts: `sigma.{png,svg}`"
                        + " (σ_i over steps, with the true and the published values as lines), `losses-uw.{png,svg}`.\n");
    }
}
