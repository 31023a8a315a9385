package dev.mtlj.checkpoint;

import dev.mtlj.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * The integrity record of a checkpoint file. A checkpoint is the zip archive libtorch writes; its SHA-256 is stored as
 * the archive's zip comment (the last field of the end-of-central-directory record, which zip readers, libtorch's and
 * Python's included, ignore), {@code mtlj-sha256:<64 hex digits>}. The digest covers every byte libtorch wrote, with the
 * comment's length field read as 0 (its value when libtorch finished). Verification reads the whole file into memory,
 * and the archive is then parsed from those verified bytes; a file without a digest (comment length 0: written before
 * checkpoints carried one, or stripped) is {@link Status#UNVERIFIED} and refused unless the user allows it by name.
 */
final class Checksum {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checksum.class);
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_SIZE = 22;
    private static final String PREFIX = "mtlj-sha256:";
    private static final int COMMENT_SIZE = PREFIX.length() + 64;
    private static final int CHUNK = 1 << 30;

    /** What verification found. */
    enum Status {
        /** The digest matches. */
        VERIFIED,
        /** A well-formed archive without a digest (written before checkpoints carried one). */
        UNVERIFIED
    }

    private Checksum() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Appends the digest of everything written so far ({@code digest}, fed the same bytes) as the archive's comment.
     * The file must end with libtorch's end-of-central-directory record, comment length 0.
     */
    static void seal(FileChannel ch, MessageDigest digest) throws IOException {
        long size = ch.size();
        ByteBuffer eocd = read(ch, size - EOCD_SIZE, EOCD_SIZE);
        if (size < EOCD_SIZE || eocd.getInt(0) != EOCD_SIGNATURE || eocd.getShort(20) != 0) {
            throw new IOException("libtorch's archive does not end with an end-of-central-directory record");
        }
        byte[] comment = (PREFIX + HexFormat.of().formatHex(digest.digest())).getBytes(StandardCharsets.US_ASCII);
        write(ch, size, ByteBuffer.wrap(comment));
        ByteBuffer length =
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) comment.length);
        write(ch, size - EOCD_SIZE + 20, length);
    }

    /**
     * Reads {@code file} into native memory (attached to the caller's PointerScope) and checks its digest, so that what
     * was verified is exactly what gets parsed: no second read of a file that may have changed in between. A mismatch,
     * a damaged record, a truncated file or a file without a digest when none is allowed is a {@link UserInputException}
     * naming the file.
     */
    static BytePointer readVerified(Path file, boolean allowUnsealed) {
        BytePointer all = readAll(file);
        if (verify(file, all) == Status.VERIFIED) {
            return all;
        }
        if (allowUnsealed) {
            LOG.warn("checkpoint '{}' carries no checksum; loaded unverified (--allow-unsealed)", file);
        } else {
            throw new UserInputException("checkpoint '" + file + "' carries no checksum, so it cannot be verified"
                    + " (written by an mtlj before 0.2, or its seal was removed); refused. If you trust the file, load it"
                    + " with --allow-unsealed");
        }
        return all;
    }

    /** Checks the digest of {@code file}'s archive as read into {@code bytes}. */
    static Status verify(Path file, BytePointer bytes) {
        long size = bytes.capacity();
        long eocd = findEocd(bytes, size);
        if (eocd < 0) {
            throw new UserInputException("checkpoint '" + file + "' is not a readable mtlj checkpoint: it has no"
                    + " end-of-archive record (truncated, or not a checkpoint at all)");
        }
        int commentLength = Short.toUnsignedInt(view(bytes, eocd + 20, 2).getShort(0));
        if (commentLength == 0) {
            return Status.UNVERIFIED;
        }
        String comment = StandardCharsets.US_ASCII
                .decode(view(bytes, eocd + EOCD_SIZE, commentLength))
                .toString();
        if (commentLength != COMMENT_SIZE || !comment.startsWith(PREFIX)) {
            throw corrupt(file, "its checksum record is damaged");
        }
        MessageDigest digest = sha256();
        feed(bytes, 0, eocd + 20, digest);
        digest.update(new byte[2]); // the comment length as libtorch wrote it
        feed(bytes, eocd + 22, eocd + EOCD_SIZE, digest);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(comment.substring(PREFIX.length()))) {
            throw corrupt(file, "checksum mismatch");
        }
        return Status.VERIFIED;
    }

    /** Checks {@code file}'s digest on disk (for tools and tests; loads go through {@link #readVerified}). */
    static Status verify(Path file) {
        try (PointerScope scope = new PointerScope()) {
            return verify(file, readAll(file));
        }
    }

    /** The whole file in native memory, read in chunks (a file may exceed 2 GiB). */
    private static BytePointer readAll(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < EOCD_SIZE) {
                throw new UserInputException("checkpoint '" + file + "' is not a readable mtlj checkpoint: it is only "
                        + size + " bytes long");
            }
            BytePointer all = new BytePointer(size);
            for (long pos = 0; pos < size; ) {
                ByteBuffer buf = view(all, pos, (int) Math.min(CHUNK, size - pos));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("the file shrank while being read");
                    }
                }
                pos += buf.capacity();
            }
            return all;
        } catch (IOException e) {
            throw new UserInputException("checkpoint '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static UserInputException corrupt(Path file, String why) {
        return new UserInputException("checkpoint '" + file + "' is corrupt (" + why + "); use an earlier checkpoint");
    }

    /** The offset of the end-of-central-directory record whose comment reaches exactly to the end, or −1. */
    private static long findEocd(BytePointer bytes, long size) {
        long from = Math.max(0, size - EOCD_SIZE - 0xFFFF);
        int span = (int) (size - from);
        if (span < EOCD_SIZE) {
            return -1;
        }
        ByteBuffer tail = view(bytes, from, span);
        for (int p = span - EOCD_SIZE; p >= 0; p--) {
            if (tail.getInt(p) == EOCD_SIGNATURE
                    && p + EOCD_SIZE + Short.toUnsignedInt(tail.getShort(p + 20)) == span) {
                return from + p;
            }
        }
        return -1;
    }

    private static void feed(BytePointer bytes, long from, long to, MessageDigest digest) {
        for (long pos = from; pos < to; pos += CHUNK) {
            digest.update(view(bytes, pos, (int) Math.min(CHUNK, to - pos)));
        }
    }

    /** {@code length} bytes of native memory at {@code pos}, as a little-endian buffer (no copy). */
    private static ByteBuffer view(BytePointer bytes, long pos, int length) {
        return bytes.getPointer(pos).limit(length).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.max(0, length)).order(ByteOrder.LITTLE_ENDIAN);
        if (pos < 0) {
            return buf.flip();
        }
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        return buf.flip();
    }

    private static void write(FileChannel ch, long pos, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            ch.write(data, pos + data.position());
        }
    }
}
