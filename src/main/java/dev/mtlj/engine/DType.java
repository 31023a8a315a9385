package dev.mtlj.engine;

import dev.mtlj.UserInputException;
import org.bytedeco.pytorch.global.torch;

/** Floating-point type of parameters and inputs. */
public enum DType {
    /** 32-bit floats. */
    FLOAT32(torch.ScalarType.Float),
    /** 64-bit floats. */
    FLOAT64(torch.ScalarType.Double);

    private final torch.ScalarType scalarType;

    DType(torch.ScalarType scalarType) {
        this.scalarType = scalarType;
    }

    /** The libtorch scalar type. */
    @dev.mtlj.NativeApi
    public torch.ScalarType scalarType() {
        return scalarType;
    }

    /** Parses {@code float32|float64} (also {@code float}/{@code double}). */
    public static DType parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "float", "f32" -> FLOAT32;
            case "float64", "double", "f64" -> FLOAT64;
            default -> throw new UserInputException("dtype '" + text + "' is not valid; allowed: float32, float64");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
