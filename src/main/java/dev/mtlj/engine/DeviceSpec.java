package dev.mtlj.engine;

import dev.mtlj.UserInputException;

/**
 * Which device a run asks for: {@code auto} (CUDA when available, else CPU), {@code cpu}, {@code cuda}
 * (device 0) or {@code cuda:N}. Pure value; {@link Engine#device(DeviceSpec)} resolves it.
 *
 * @param kind  what was asked for
 * @param index CUDA device index (0 unless {@code cuda:N})
 */
public record DeviceSpec(Kind kind, int index) {
    /** The device families mtlj knows. */
    public enum Kind {
        /** CUDA when the natives see a GPU, else CPU. */
        AUTO,
        /** The CPU. */
        CPU,
        /** A CUDA device. */
        CUDA
    }

    /** Checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public DeviceSpec {
        if (index < 0) {
            throw new UserInputException("device index must be >= 0, got " + index);
        }
    }

    /** Parses {@code auto|cpu|cuda|cuda:N}; anything else is a {@link UserInputException} naming the value. */
    public static DeviceSpec parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "auto" -> new DeviceSpec(Kind.AUTO, 0);
            case "cpu" -> new DeviceSpec(Kind.CPU, 0);
            case "cuda" -> new DeviceSpec(Kind.CUDA, 0);
            default -> {
                if (s.matches("cuda:\\d{1,3}")) {
                    yield new DeviceSpec(Kind.CUDA, Integer.parseInt(s.substring(5)));
                }
                throw new UserInputException("device '" + text + "' is not valid; allowed: auto, cpu, cuda, cuda:N");
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + index;
        };
    }
}
