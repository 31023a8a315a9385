package dev.mtlj.model;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
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
    static LinearImpl hidden(
            SequentialImpl seq, String prefix, long in, List<Integer> widths, double dropout, List<Pointer> owned) {
        LinearImpl last = null;
        long width = in;
        for (int i = 0; i < widths.size(); i++) {
            last = keep(new LinearImpl(width, widths.get(i)), owned);
            seq.push_back(prefix + "fc" + i, last);
            seq.push_back(prefix + "relu" + i, keep(new ReLUImpl(), owned));
            if (dropout > 0) {
                seq.push_back(prefix + "drop" + i, keep(new DropoutImpl(dropout), owned));
            }
            width = widths.get(i);
        }
        return last;
    }

    /**
     * Retains a submodule handle for the owner's lifetime. {@code SequentialImpl.push_back} does not share
     * ownership for every module type (a freed DropoutImpl handle crashed a later forward), so owners keep
     * every submodule they add and close them in {@code close()}.
     */
    static <P extends Pointer> P keep(P module, List<Pointer> owned) {
        owned.add(module.retainReference());
        return module;
    }

    /** Closes an owner's retained submodules, newest first. */
    static void closeAll(List<Pointer> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }

    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p *= d;
        }
        return p;
    }
}
