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

/**
 * MMoE versus shared-bottom on MMoE's synthetic data (Ma et al., KDD 2018, §4) for task correlations 1.0, 0.5 and
 * 0.0, several seeds, matched parameter counts: MMoE with 8 experts (MLP 100→16), gates without bias and towers
 * 16→8→1 has 14,818 parameters; shared-bottom with a 100→126 trunk and towers 126→8→1 has 14,776. Metric: test MSE
 * averaged over the two tasks (lower is better).
 *
 * <p>Usage: {@code benchmarks/java MmoeSyntheticComparison [seeds] [steps]}.
 */
public final class MmoeSyntheticComparison {
    private static final List<Double> R2 = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        Path runs = Files.createTempDirectory("mtlj-mmoe-synthetic");
        StringBuilder md = new StringBuilder("# MMoE vs shared-bottom on MMoE's synthetic data\n\n");
        md.append("Command: `benchmarks/java MmoeSyntheticComparison ")
                .append(seeds)
                .append(' ')
                .append(steps)
                .append("`, ")
                .append(LocalDate.now())
                .append(". Data: d = 100, 50,000 train / 5,000 val / 5,000 test per seed (generator of")
                .append(
                        " docs/methods.md#benchmark-problems). Models with matched parameter counts: MMoE 8 experts 100→16, gates (no bias),")
                .append(
                        " towers 16→8→1: 14,818 parameters; shared-bottom trunk 100→126, towers 126→8→1: 14,776. Adam lr 1e-3,")
                .append(" batch 128, up to ")
                .append(steps)
                .append(" steps with validation every 250 and early stopping (patience 4, best")
                .append(
                        " weights restored), equal weighting. Metric: test MSE averaged over the two tasks (label variance ≈ 7.06),")
                .append(" and test R² averaged over the tasks.\n\n");
        md.append(Machine.describe()).append('\n');
        md.append(
                "| correlation | shared-bottom MSE (mean ± sd) | MMoE MSE (mean ± sd) | MMoE − shared-bottom (mean of paired differences) | mean R² SB / MMoE | per seed MSE (SB / MMoE) |\n|---|---|---|---|---|---|\n");
        for (double p : new double[] {1.0, 0.5, 0.0}) {
            List<Double> sb = new ArrayList<>();
            List<Double> mm = new ArrayList<>();
            R2.clear();
            for (int seed = 1; seed <= seeds; seed++) {
                sb.add(run(runs, p, seed, steps, "{backbone: {type: mlp, hidden: [126]}, head: {hidden: [8]}}"));
                mm.add(
                        run(
                                runs,
                                p,
                                seed,
                                steps,
                                "{backbone: {type: mlp, hidden: [16]}, architecture: {type: mmoe, experts: 8}, head: {hidden: [8]}}"));
                System.err.printf(
                        Locale.ROOT,
                        "p=%.1f seed %d: shared-bottom %.4f, mmoe %.4f%n",
                        p,
                        seed,
                        sb.get(seed - 1),
                        mm.get(seed - 1));
            }
            double diff = 0;
            StringBuilder per = new StringBuilder();
            for (int i = 0; i < seeds; i++) {
                diff += (mm.get(i) - sb.get(i)) / seeds;
                per.append(String.format(Locale.ROOT, "%s%.4f / %.4f", i == 0 ? "" : "; ", sb.get(i), mm.get(i)));
            }
            double r2sb = 0;
            double r2mm = 0;
            for (int i = 0; i < R2.size(); i++) {
                if (i % 2 == 0) {
                    r2sb += R2.get(i) / seeds;
                } else {
                    r2mm += R2.get(i) / seeds;
                }
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %.1f | %s | %s | %+.4f | %.3f / %.3f | %s |%n",
                    p,
                    meanSd(sb),
                    meanSd(mm),
                    diff,
                    r2sb,
                    r2mm,
                    per));
        }
        Path out = Path.of("benchmarks/results/" + LocalDate.now() + "-mmoe-synthetic.md");
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out);
    }

    private static double run(Path runs, double p, int seed, int steps, String model) {
        String yaml = String.join(
                "\n",
                "name: mmoe",
                "device: cpu",
                "threads: 2",
                "seed: " + seed,
                "output: " + runs,
                String.format(
                        Locale.ROOT,
                        "data: {type: mmoe-synthetic, correlation: %.2f, train: 50000, val: 5000, test: 5000}",
                        p),
                "model: " + model,
                "train: {steps: " + steps + ", batch_size: 128, eval_every: 250, checkpoint_every: 0, log_every: 1000,",
                "        early_stopping: {metric: loss, patience: 4}}",
                "");
        RunConfig cfg = ConfigLoader.parse(yaml, "MmoeSyntheticComparison", List.of());
        Report test = Run.train(cfg).test();
        R2.add((test.tasks().get("y1").metrics().get("r2")
                        + test.tasks().get("y2").metrics().get("r2"))
                / 2);
        return (test.tasks().get("y1").loss() + test.tasks().get("y2").loss()) / 2;
    }

    private static String meanSd(List<Double> xs) {
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd =
                Math.sqrt(xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, xs.size() - 1));
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
    }
}
