package dev.mtlj.data;

import dev.mtlj.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, 2017): 28×28 grey images of 10 clothing classes, 60,000 train and
 * 10,000 test, as the four IDX files (gzipped or not). Debian ships them: {@code apt-get install dataset-fashion-mnist}
 * puts them in {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
    /** Where Debian's dataset-fashion-mnist package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * One split.
     *
     * @param images n × 784 pixel values in [0, 1], row-major
     * @param labels n class indices in [0, 9]
     */
    public record Split(float[] images, int[] labels) {
        /** The number of images. */
        public int size() {
            return labels.length;
        }
    }

    private FashionMnist() {}

    /** Reads the {@code train} or {@code t10k} (test) split from {@code dir} (null: {@link #DEFAULT_DIR}). */
    public static Split load(Path dir, boolean train) {
        Path d = dir == null ? DEFAULT_DIR : dir;
        String prefix = train ? "train" : "t10k";
        Path images = find(d, prefix + "-images-idx3-ubyte");
        Path labels = find(d, prefix + "-labels-idx1-ubyte");
        IdxFile x = IdxFile.read(images);
        IdxFile y = IdxFile.read(labels);
        if (x.dims().length != 3 || x.dims()[1] != 28 || x.dims()[2] != 28) {
            throw new UserInputException("'" + images + "' holds " + java.util.Arrays.toString(x.dims())
                    + " values; Fashion-MNIST images are [n, 28, 28]");
        }
        if (y.dims().length != 1 || y.dims()[0] != x.dims()[0]) {
            throw new UserInputException("'" + labels + "' holds " + java.util.Arrays.toString(y.dims())
                    + " labels for " + x.dims()[0] + " images in '" + images + "'");
        }
        int[] l = new int[y.dims()[0]];
        for (int i = 0; i < l.length; i++) {
            float v = y.values()[i];
            if (v < 0 || v > 9) {
                throw new UserInputException("IDX file '" + labels + "' at byte " + (8 + i) + ": label " + (int) v
                        + " out of range (Fashion-MNIST has classes 0 to 9)");
            }
            l[i] = (int) v;
        }
        float[] px = x.values();
        for (int i = 0; i < px.length; i++) {
            px[i] /= 255f;
        }
        return new Split(px, l);
    }

    private static Path find(Path dir, String name) {
        for (String candidate : new String[] {name + ".gz", name}) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        throw new UserInputException("Fashion-MNIST file " + name + "[.gz] not found in '" + dir + "'; install the data"
                + " with: sudo apt-get install dataset-fashion-mnist (it puts the files in " + DEFAULT_DIR
                + "), or set data.path to a folder holding the four IDX files");
    }
}
