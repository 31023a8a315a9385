package dev.mtlj.model;

import java.util.List;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;

/** Builds the fully connected stacks shared by backbones and heads. */
final class Layers {
    private Layers() {}

    /**
     * Appends {@code Linear → ReLU [→ Dropout]} per width to {@code seq}.
     *
     * @return the last Linear added, or {@code null} when {@code widths} is empty
     */
    static LinearImpl hidden(SequentialImpl seq, String prefix, long in, List<Integer> widths, double dropout) {
        LinearImpl last = null;
        long width = in;
        for (int i = 0; i < widths.size(); i++) {
            last = new LinearImpl(width, widths.get(i));
            seq.push_back(prefix + "fc" + i, last);
            seq.push_back(prefix + "relu" + i, new ReLUImpl());
            if (dropout > 0) {
                seq.push_back(prefix + "drop" + i, new DropoutImpl(dropout));
            }
            width = widths.get(i);
        }
        return last;
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }
}
