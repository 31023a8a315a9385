package dev.mtlj.data;

import dev.mtlj.UserInputException;
import dev.mtlj.checkpoint.AtomicFiles;
import dev.mtlj.random.Rng;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-Fashion (X. Lin, H.-L. Zhen, Z. Li, Q. Zhang, S. Kwong, "Pareto Multi-Task Learning", NeurIPS 2019, after
 * Sener &amp; Koltun's MultiMNIST, NeurIPS 2018): two Fashion-MNIST items on one 36×36 canvas, item A at the top-left
 * (rows and columns 0–27), item B at the bottom-right (8–35), overlapping pixels taking the maximum; the canvas is
 * resized back to 28×28 by bilinear interpolation (half-pixel centres). Task {@code left} = A's class, {@code right}
 * = B's class (10 classes each). Pairs are drawn uniformly with replacement from a seeded generator; the training and
 * validation images come from Fashion-MNIST's training split, the test images from its test split. Built once per
 * (seed, sizes) and cached as IDX files (written atomically), so later runs read the same bytes.
 */
public final class MultiFashion {
    private static final int CANVAS = 36;
    private static final int SIDE = 28;
    private static final int SHIFT = CANVAS - SIDE;

    private MultiFashion() {}

    /**
     * Builds (or reads from the cache) the Multi-Fashion splits.
     *
     * @param source Fashion-MNIST folder (null: the Debian package's)
     * @param cache  folder for built images (null: no cache)
     */
    public static DataSplits load(Path source, Path cache, int train, int val, int test, long seed) {
        if (train < 1 || val < 1 || test < 1) {
            throw new UserInputException("multi-fashion: train, val and test sizes must be >= 1");
        }
        List<TaskSpec> tasks = List.of(
                TaskSpec.of("left", TaskKind.CLASSIFICATION, 10), TaskSpec.of("right", TaskKind.CLASSIFICATION, 10));
        String tag = "multi-fashion-s" + seed + "-" + train + "-" + val + "-" + test;
        MultiTaskData trainVal = cached(
                cache,
                tag + "-trainval",
                () -> build(FashionMnist.load(source, true), train + val, Rng.derived(seed, 1)));
        MultiTaskData testData =
                cached(cache, tag + "-test", () -> build(FashionMnist.load(source, false), test, Rng.derived(seed, 2)));
        return new DataSplits(tasks, trainVal.slice(0, train), trainVal.slice(train, train + val), testData);
    }

    /** {@code n} Multi-Fashion images from {@code src}, pixels quantised to 1/255 like the source. */
    static MultiTaskData build(FashionMnist.Split src, int n, Rng rng) {
        float[] x = new float[n * SIDE * SIDE];
        float[] left = new float[n];
        float[] right = new float[n];
        float[] canvas = new float[CANVAS * CANVAS];
        for (int e = 0; e < n; e++) {
            int a = rng.nextInt(src.size());
            int b = rng.nextInt(src.size());
            java.util.Arrays.fill(canvas, 0f);
            paste(canvas, src.images(), a, 0);
            paste(canvas, src.images(), b, SHIFT);
            resize(canvas, x, e * SIDE * SIDE);
            left[e] = src.labels()[a];
            right[e] = src.labels()[b];
        }
        Map<String, TaskLabels> labels = new LinkedHashMap<>();
        labels.put("left", new TaskLabels(left, 1));
        labels.put("right", new TaskLabels(right, 1));
        return new MultiTaskData(x, new int[] {1, SIDE, SIDE}, labels);
    }

    private static void paste(float[] canvas, float[] images, int index, int at) {
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                int k = (r + at) * CANVAS + c + at;
                canvas[k] = Math.max(canvas[k], images[index * SIDE * SIDE + r * SIDE + c]);
            }
        }
    }

    /** Bilinear 36×36 → 28×28 with half-pixel centres (align_corners = false), rounded to 1/255. */
    private static void resize(float[] canvas, float[] out, int offset) {
        double scale = (double) CANVAS / SIDE;
        for (int r = 0; r < SIDE; r++) {
            double sr = Math.max(0, (r + 0.5) * scale - 0.5);
            int r0 = (int) sr;
            int r1 = Math.min(r0 + 1, CANVAS - 1);
            double fr = sr - r0;
            for (int c = 0; c < SIDE; c++) {
                double sc = Math.max(0, (c + 0.5) * scale - 0.5);
                int c0 = (int) sc;
                int c1 = Math.min(c0 + 1, CANVAS - 1);
                double fc = sc - c0;
                double v = (1 - fr) * ((1 - fc) * canvas[r0 * CANVAS + c0] + fc * canvas[r0 * CANVAS + c1])
                        + fr * ((1 - fc) * canvas[r1 * CANVAS + c0] + fc * canvas[r1 * CANVAS + c1]);
                out[offset + r * SIDE + c] = Math.round(v * 255) / 255f;
            }
        }
    }

    private static MultiTaskData cached(Path cache, String tag, java.util.function.Supplier<MultiTaskData> make) {
        if (cache == null) {
            return make.get();
        }
        Path images = cache.resolve(tag + "-images.idx");
        Path labels = cache.resolve(tag + "-labels.idx");
        if (Files.isRegularFile(images) && Files.isRegularFile(labels)) {
            IdxFile x = IdxFile.read(images);
            IdxFile y = IdxFile.read(labels);
            float[] px = x.values();
            for (int i = 0; i < px.length; i++) {
                px[i] /= 255f;
            }
            int n = y.dims()[0];
            float[] l = new float[n];
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                l[i] = y.values()[2 * i];
                r[i] = y.values()[2 * i + 1];
            }
            Map<String, TaskLabels> m = new LinkedHashMap<>();
            m.put("left", new TaskLabels(l, 1));
            m.put("right", new TaskLabels(r, 1));
            return new MultiTaskData(px, new int[] {1, SIDE, SIDE}, m);
        }
        MultiTaskData built = make.get();
        int n = built.size();
        byte[] px = new byte[built.features().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(built.features()[i] * 255);
        }
        byte[] lr = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            lr[2 * i] = (byte) built.labels().get("left").values()[i];
            lr[2 * i + 1] = (byte) built.labels().get("right").values()[i];
        }
        try {
            AtomicFiles.write(images, tmp -> write(tmp, new int[] {n, SIDE, SIDE}, px));
            AtomicFiles.write(labels, tmp -> write(tmp, new int[] {n, 2}, lr));
        } catch (IOException e) {
            throw new UserInputException("cannot write the Multi-Fashion cache in '" + cache + "' (" + e.getMessage()
                    + "); set data.cache to a writable folder");
        }
        return built;
    }

    private static void write(Path tmp, int[] dims, byte[] values) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            IdxFile.writeUnsignedBytes(out, dims, values);
        }
    }
}
