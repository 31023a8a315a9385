package dev.mtlj.data;

import dev.mtlj.UserInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST format, plain or gzipped): magic {@code 0x00 0x00 type ndims}, ndims big-endian int32
 * sizes, then the values row-major. Supported types: unsigned byte (0x08), signed byte (0x09), int32 (0x0C) and
 * float32 (0x0D). {@link #read} streams the file straight into one float array (no second copy of the data) and names
 * the file and byte offset of any defect: a bad magic number, an unsupported type, a truncated body, extra bytes.
 *
 * @param dims   sizes, outermost first
 * @param values every value as float, row-major
 */
public record IdxFile(int[] dims, float[] values) {
    /** Reads {@code file}; gzip is detected by its magic bytes, not the file name. */
    public static IdxFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("IDX file '" + file + "' does not exist or is not a file");
        }
        long offset = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            DataInputStream in = new DataInputStream(
                    new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16));
            int zero1 = in.readUnsignedByte();
            int zero2 = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int ndims = in.readUnsignedByte();
            if (zero1 != 0 || zero2 != 0) {
                throw bad(
                        file,
                        0,
                        "bad magic number: the first two bytes are " + zero1 + ", " + zero2 + " (an IDX file starts"
                                + " with 0, 0)");
            }
            int width = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0C, 0x0D -> 4;
                default ->
                    throw bad(
                            file,
                            2,
                            String.format(
                                    "unsupported type code 0x%02X (supported: 0x08 ubyte, 0x09 byte,"
                                            + " 0x0C int32, 0x0D float32)",
                                    type));
            };
            if (ndims < 1 || ndims > 4) {
                throw bad(file, 3, "bad magic number: " + ndims + " dimensions (1 to 4 supported)");
            }
            offset = 4;
            int[] dims = new int[ndims];
            long count = 1;
            for (int i = 0; i < ndims; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw bad(file, offset, "dimension " + i + " is negative (" + dims[i] + ")");
                }
                offset += 4;
                count *= dims[i];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(file, 4, "holds " + count + " values, more than one array can hold");
            }
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (type) {
                    case 0x08 -> in.readUnsignedByte();
                    case 0x09 -> in.readByte();
                    case 0x0C -> in.readInt();
                    default -> in.readFloat();
                };
                offset += width;
            }
            if (in.read() != -1) {
                throw bad(
                        file,
                        offset,
                        "has bytes after the " + count + " values its header announces " + Arrays.toString(dims));
            }
            return new IdxFile(dims, values);
        } catch (EOFException e) {
            throw bad(
                    file,
                    offset,
                    "is truncated: the data ends at byte " + offset + " (of the uncompressed content) before"
                            + " the values its header announces");
        } catch (IOException e) {
            throw new UserInputException("IDX file '" + file + "' cannot be read: " + e.getMessage());
        }
    }

    /** Writes unsigned-byte values (0..255) as an uncompressed IDX file (type 0x08). */
    public static void writeUnsignedBytes(OutputStream out, int[] dims, byte[] values) throws IOException {
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0x08);
        d.writeByte(dims.length);
        for (int s : dims) {
            d.writeInt(s);
        }
        d.write(values);
        d.flush();
    }

    private static UserInputException bad(Path file, long offset, String what) {
        return new UserInputException("IDX file '" + file + "' at byte " + offset + ": " + what);
    }
}
