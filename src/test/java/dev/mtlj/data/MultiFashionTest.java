package dev.mtlj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mtlj.UserInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-Fashion built from a generated mini Fashion-MNIST whose image i is filled with the grey level (label+1)·20/255,
 * so the composed image shows item A's level at its top-left corner and item B's at its bottom-right corner.
 */
class MultiFashionTest {
    private static void miniFashionMnist(Path dir, String prefix, int n, int seed) throws IOException {
        byte[] labels = new byte[n];
        byte[] images = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i * 7 + seed) % 10);
            java.util.Arrays.fill(images, i * 784, (i + 1) * 784, (byte) ((labels[i] + 1) * 20));
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
    }

    private static void write(Path f, int[] dims, byte[] values) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            IdxFile.writeUnsignedBytes(out, dims, values);
        }
    }

    @Test
    void shapesLabelPairsAndDeterminism(@TempDir Path dir) throws Exception {
        miniFashionMnist(dir, "train", 30, 0);
        miniFashionMnist(dir, "t10k", 12, 3);
        DataSplits a = MultiFashion.load(dir, null, 40, 10, 8, 5);
        assertThat(a.train().exampleShape()).containsExactly(1, 28, 28);
        assertThat(a.train().size()).isEqualTo(40);
        assertThat(a.val().size()).isEqualTo(10);
        assertThat(a.test().size()).isEqualTo(8);
        for (MultiTaskData d : new MultiTaskData[] {a.train(), a.test()}) {
            for (int e = 0; e < d.size(); e++) {
                float topLeft = d.features()[e * 784];
                float bottomRight = d.features()[e * 784 + 783];
                // corner pixels see one item only: level (label+1)·20/255 of the item placed there
                assertThat(topLeft).isCloseTo((d.labels().get("left").values()[e] + 1) * 20 / 255f, within(1e-6f));
                assertThat(bottomRight).isCloseTo((d.labels().get("right").values()[e] + 1) * 20 / 255f, within(1e-6f));
            }
        }
        DataSplits again = MultiFashion.load(dir, null, 40, 10, 8, 5);
        assertThat(again.train().features()).containsExactly(a.train().features());
        assertThat(again.test().labels().get("right").values())
                .containsExactly(a.test().labels().get("right").values());
        DataSplits other = MultiFashion.load(dir, null, 40, 10, 8, 6);
        assertThat(other.train().labels().get("left").values())
                .isNotEqualTo(a.train().labels().get("left").values());
    }

    /** The first load builds and caches; the second reads the cache and gets the same values. */
    @Test
    void cachedBuildIsReadBackExactly(@TempDir Path dir) throws Exception {
        miniFashionMnist(dir, "train", 30, 0);
        miniFashionMnist(dir, "t10k", 12, 3);
        Path cache = dir.resolve("cache");
        DataSplits built = MultiFashion.load(dir, cache, 20, 5, 6, 9);
        try (var files = Files.list(cache)) {
            assertThat(files.count()).isEqualTo(4);
        }
        DataSplits read = MultiFashion.load(dir.resolve("gone"), cache, 20, 5, 6, 9); // the source is not touched again
        assertThat(read.train().features()).containsExactly(built.train().features());
        assertThat(read.val().labels().get("left").values())
                .containsExactly(built.val().labels().get("left").values());
        assertThat(read.test().labels().get("right").values())
                .containsExactly(built.test().labels().get("right").values());
    }

    @Test
    void missingDataSaysHowToInstallIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> MultiFashion.load(dir, null, 5, 5, 5, 1))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("install the data with: sudo apt-get install dataset-fashion-mnist");
        miniFashionMnist(dir, "train", 4, 0);
        write(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {4}, new byte[] {1, 2, 12, 3});
        assertThatThrownBy(() -> FashionMnist.load(dir, true))
                .hasMessage("IDX file '" + dir.resolve("train-labels-idx1-ubyte.gz")
                        + "' at byte 10: label 12 out of range (Fashion-MNIST has classes 0 to 9)");
    }
}
