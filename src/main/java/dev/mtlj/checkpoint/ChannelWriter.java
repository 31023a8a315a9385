package dev.mtlj.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.ArchiveWriter;

/**
 * The sink libtorch serialises a checkpoint into: every chunk goes to a file channel and into a running SHA-256.
 * libtorch must never see a failed write — its zip writer then throws again from a destructor and the process aborts
 * (a full disk once killed the JVM that way) — so an I/O error is recorded, reported as written, and rethrown by
 * {@link #rethrow()} once libtorch has returned.
 */
final class ChannelWriter extends ArchiveWriter {
    private final FileChannel channel;
    private final MessageDigest digest;
    private IOException failure;

    ChannelWriter(FileChannel channel, MessageDigest digest) {
        this.channel = channel;
        this.digest = digest;
    }

    @Override
    public long call(Pointer data, long size) {
        if (failure == null && size > 0) {
            try (BytePointer bytes = new BytePointer(data)) {
                ByteBuffer buf = bytes.capacity(size).asByteBuffer();
                digest.update(buf.duplicate());
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        return size;
    }

    /** Throws the first write error, if any. */
    void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }
}
