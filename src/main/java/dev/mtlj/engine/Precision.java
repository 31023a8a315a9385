package dev.mtlj.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/**
 * Arithmetic precision of the forward pass: {@code fp32} (parameters' dtype throughout) or {@code bf16}
 * (libtorch autocast: matrix products and convolutions in bfloat16, reductions and losses in float32; parameters,
 * gradients and optimizer state stay float32). bf16 keeps float32's exponent range, so no gradient scaler is needed
 * (Kalamkar et al., "A Study of BFLOAT16 for Deep Learning Training", 2019).
 */
public enum Precision {
    /** Full float32. */
    FP32("fp32"),
    /** bfloat16 autocast for matrix products and convolutions (see above). */
    BF16("bf16");

    private final String text;

    Precision(String text) {
        this.text = text;
    }

    /** Parses {@code fp32|bf16}; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static Precision parse(String value) {
        String s = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.text.equals(s)) {
                return p;
            }
        }
        throw new UserInputException("precision '" + value + "' is not valid; allowed: fp32, bf16");
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
