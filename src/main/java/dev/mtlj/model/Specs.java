package dev.mtlj.model;

import dev.mtlj.UserInputException;
import java.util.List;

/** Shared validation of spec fields. */
final class Specs {
    private Specs() {}

    static void checkWidths(String key, List<Integer> widths) {
        for (Integer w : widths) {
            if (w == null || w < 1 || w > 1 << 20) {
                throw new UserInputException(key + " entries must be integers in [1, 1048576], got " + w);
            }
        }
    }

    /** Image backbones need [C, H, W] examples. */
    static void requireImage(String backbone, long[] exampleShape) {
        if (exampleShape.length != 3) {
            throw new UserInputException(
                    "the " + backbone + " backbone needs image examples of shape [C, H, W]; the data has "
                            + java.util.Arrays.toString(exampleShape) + " (use the mlp backbone for flat features)");
        }
    }

    static void checkDropout(String key, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new UserInputException(key + " must be in [0, 1), got " + p);
        }
    }
}
