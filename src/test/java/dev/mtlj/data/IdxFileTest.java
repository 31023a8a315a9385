package dev.mtlj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files the test writes byte by byte (the format: 0, 0, type, ndims, big-endian int32 sizes, values). */
class IdxFileTest {
    private static byte[] ubyteFile(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        IdxFile.writeUnsignedBytes(b, dims, values);
        return b.toByteArray();
    }

    private static Path write(Path dir, String name, byte[] content, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(content);
        }
        return f;
    }

    @Test
    void readsUnsignedBytesPlainAndGzipped(@TempDir Path dir) throws Exception {
        byte[] values = {0, 1, (byte) 200, (byte) 255, 7, 9};
        byte[] file = ubyteFile(new int[] {2, 3}, values);
        for (boolean gzip : new boolean[] {false, true}) {
            IdxFile f = IdxFile.read(write(dir, "a" + gzip, file, gzip));
            assertThat(f.dims()).containsExactly(2, 3);
            assertThat(f.values()).containsExactly(0, 1, 200, 255, 7, 9);
        }
    }

    /** Type 0x0D: big-endian float32 values 1.5 and −2.25. */
    @Test
    void readsFloats(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8);
        b.put((byte) 0)
                .put((byte) 0)
                .put((byte) 0x0D)
                .put((byte) 1)
                .putInt(2)
                .putFloat(1.5f)
                .putFloat(-2.25f);
        assertThat(IdxFile.read(write(dir, "f", b.array(), false)).values()).containsExactly(1.5f, -2.25f);
    }

    @Test
    void malformedFilesAreNamedWithTheOffset(@TempDir Path dir) throws Exception {
        byte[] good = ubyteFile(new int[] {2, 3}, new byte[6]);
        byte[] magic = good.clone();
        magic[1] = 8;
        Path m = write(dir, "magic", magic, false);
        assertThatThrownBy(() -> IdxFile.read(m))
                .isInstanceOf(UserInputException.class)
                .hasMessage("IDX file '" + m
                        + "' at byte 0: bad magic number: the first two bytes are 0, 8 (an IDX file starts"
                        + " with 0, 0)");
        byte[] type = good.clone();
        type[2] = 0x0B;
        Path t = write(dir, "type", type, false);
        assertThatThrownBy(() -> IdxFile.read(t))
                .hasMessage("IDX file '" + t + "' at byte 2: unsupported type code 0x0B"
                        + " (supported: 0x08 ubyte, 0x09 byte, 0x0C int32, 0x0D float32)");
        Path cut = write(dir, "cut.gz", Arrays.copyOf(good, good.length - 2), true);
        assertThatThrownBy(() -> IdxFile.read(cut))
                .hasMessage("IDX file '" + cut + "' at byte 16: is truncated: the data ends"
                        + " at byte 16 (of the uncompressed content) before the values its header announces");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        Path extra = write(dir, "extra", longer, false);
        assertThatThrownBy(() -> IdxFile.read(extra))
                .hasMessage("IDX file '" + extra + "' at byte 18: has bytes after the 6"
                        + " values its header announces [2, 3]");
        assertThatThrownBy(() -> IdxFile.read(dir.resolve("none")))
                .hasMessage("IDX file '" + dir.resolve("none") + "' does not exist or is not a file");
    }
}
