package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;

/**
 * The numeric datatypes of the Open Inference Protocol and their conversion to the models' float32 input. Every
 * numeric type is accepted and converted to float32, the type of every mtlj model's input: FP64 is rounded to the
 * nearest float32, integers above 2²⁴ in magnitude likewise; a value that is not finite in float32 (NaN, ±∞, or an FP64
 * beyond float32's range) is refused. BOOL and BYTES are refused. Binary tensor data is little-endian, row-major, as the
 * protocol prescribes.
 */
public final class TensorData {
    /** Bytes per element of each accepted datatype. */
    private static final Map<String, Integer> SIZES = Map.ofEntries(
            Map.entry("FP32", 4),
            Map.entry("FP64", 8),
            Map.entry("FP16", 2),
            Map.entry("BF16", 2),
            Map.entry("INT8", 1),
            Map.entry("INT16", 2),
            Map.entry("INT32", 4),
            Map.entry("INT64", 8),
            Map.entry("UINT8", 1),
            Map.entry("UINT16", 2),
            Map.entry("UINT32", 4),
            Map.entry("UINT64", 8));

    private TensorData() {}

    /** Bytes per element of {@code datatype}; a non-numeric type is a {@link UserInputException} naming {@code where}. */
    public static int elementSize(String datatype, String where) {
        Integer n = datatype == null ? null : SIZES.get(datatype);
        if (n == null) {
            throw new UserInputException(where + ".datatype '" + datatype + "' is not allowed; use a numeric type"
                    + " (FP32, the model's, or FP64, FP16, BF16, INT8..INT64, UINT8..UINT64, converted to FP32)");
        }
        return n;
    }

    /** {@code count} elements of {@code datatype} from {@code raw} (little-endian) as float32. */
    public static float[] decode(String datatype, ByteBuffer raw, int count, String where) {
        int size = elementSize(datatype, where);
        if (raw.remaining() != (long) count * size) {
            throw new UserInputException(where + " carries " + raw.remaining() + " bytes; " + count + " " + datatype
                    + " values take " + (long) count * size);
        }
        ByteBuffer b = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            double v = switch (datatype) {
                case "FP32" -> b.getFloat();
                case "FP64" -> b.getDouble();
                case "FP16" -> half(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                case "INT8" -> b.get();
                case "INT16" -> b.getShort();
                case "INT32" -> b.getInt();
                case "INT64" -> b.getLong();
                case "UINT8" -> b.get() & 0xff;
                case "UINT16" -> b.getShort() & 0xffff;
                case "UINT32" -> b.getInt() & 0xffffffffL;
                default -> unsigned64(b.getLong()); // UINT64
            };
            out[i] = finite((float) v, v, where, i);
        }
        return out;
    }

    /**
     * Checks that a JSON value is a value of {@code datatype}: integer types take only integers within their range
     * (INT8 0.2 or 1000 is refused, not rounded or wrapped). Floating types take any number.
     */
    public static void checkRange(String datatype, java.math.BigDecimal v, String where, int index) {
        long[] range = switch (datatype) {
            case "INT8" -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case "INT16" -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case "INT32" -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case "INT64" -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            case "UINT8" -> new long[] {0, 0xff};
            case "UINT16" -> new long[] {0, 0xffff};
            case "UINT32" -> new long[] {0, 0xffffffffL};
            case "UINT64" -> new long[] {0, Long.MAX_VALUE}; // JSON numbers past 2^63 are refused too
            default -> null;
        };
        if (range == null) {
            return;
        }
        boolean integral = v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
        if (!integral
                || v.compareTo(java.math.BigDecimal.valueOf(range[0])) < 0
                || v.compareTo(java.math.BigDecimal.valueOf(range[1])) > 0) {
            throw new UserInputException(where + ": value " + index + " (" + v.toPlainString() + ") is not a "
                    + datatype + " (an integer in [" + range[0] + ", " + range[1] + "])");
        }
    }

    /** One JSON number as float32, refusing what float32 cannot hold finitely. */
    public static float finite(float f, double original, String where, int index) {
        if (!Float.isFinite(f)) {
            throw new UserInputException(where + ": value " + index + " (" + String.format(Locale.ROOT, "%s", original)
                    + ") is not a finite float32");
        }
        return f;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float half(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f; // subnormal
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }

    private static double unsigned64(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** float32 values as little-endian bytes. */
    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** BYTES elements as the protocol serialises them: each a 4-byte little-endian length, then its UTF-8 bytes. */
    public static byte[] encode(String[] values) {
        byte[][] utf8 = new byte[values.length][];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            utf8[i] = values[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            n += 4 + utf8[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] s : utf8) {
            b.putInt(s.length).put(s);
        }
        return b.array();
    }
}
