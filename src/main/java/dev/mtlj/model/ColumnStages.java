package dev.mtlj.model;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.SequentialImpl;

/**
 * A backbone that can be cut into stages for {@link CrossStitch}'s columns (stitch units sit between the stages).
 * Backbone specs that support cross-stitch networks implement it.
 */
interface ColumnStages {
    /**
     * Builds one column: appends its stages to {@code column} and each stage's output channels to {@code widths};
     * returns the column's per-example output shape. Created modules are added to {@code owned}.
     */
    long[] stages(long[] exampleShape, List<SequentialImpl> column, List<Long> widths, List<Pointer> owned);

    /** Whether the column reads flattened examples (an MLP) rather than images. */
    boolean flatInput();
}
