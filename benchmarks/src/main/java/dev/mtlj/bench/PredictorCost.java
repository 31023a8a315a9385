package dev.mtlj.bench;

import dev.mtlj.engine.Engine;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * In-process cost of {@link Predictor#predict} (forward, softmax/sigmoid, one copy to the host, Java outputs) per
 * call and per example at batch 1, 8, 32 and 64, one libtorch thread: the part of a served request that batching
 * can amortise. Median of 7 repeats of 400 calls each, batch sizes interleaved.
 *
 * <p>Usage: {@code benchmarks/java PredictorCost RUN_OR_MODEL...}; prints a Markdown table.
 */
public final class PredictorCost {
    public static void main(String[] args) {
        Engine.configureThreads(1);
        int[] batches = {1, 8, 32, 64};
        System.out.println("| model | batch | µs per call | µs per example |\n|---|---:|---:|---:|");
        for (String path : args) {
            try (Predictor p =
                    Predictor.open(Path.of(path), PredictorOptions.defaults().withDevice("cpu"))) {
                int size = (int) p.signature().exampleSize();
                Random rnd = new Random(1);
                float[] x = new float[64 * size];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                double[][] us = new double[batches.length][7];
                for (int rep = -2; rep < 7; rep++) { // two warm-up repeats
                    for (int b = 0; b < batches.length; b++) {
                        float[] in = Arrays.copyOf(x, batches[b] * size);
                        long t0 = System.nanoTime();
                        for (int k = 0; k < 400; k++) {
                            p.predict(in, batches[b], null);
                        }
                        if (rep >= 0) {
                            us[b][rep] = (System.nanoTime() - t0) / 1e3 / 400;
                        }
                    }
                }
                for (int b = 0; b < batches.length; b++) {
                    Arrays.sort(us[b]);
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d | %.1f | %.1f |%n",
                            Path.of(path).getFileName(),
                            batches[b],
                            us[b][3],
                            us[b][3] / batches[b]);
                }
            }
        }
    }
}
