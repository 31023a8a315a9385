package dev.mtlj.run;

import dev.mtlj.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per run: an operating-system lock on {@code <run>/.lock}, held while a process trains into the run
 * folder. A second process (or a second run in the same JVM) is refused with the holder's PID. The lock goes with the
 * process — a killed trainer leaves no stale lock — and the file itself, holding the last holder's PID, may stay.
 */
final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code runDir} for this process, or throws a {@link UserInputException} naming the holder. */
    static RunLock acquire(Path runDir) {
        Path file = runDir.resolve(".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException inThisJvm) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new UserInputException("run folder '" + runDir + "' is in use by another mtlj process"
                        + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + "; wait for it to finish, or train into another folder");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("PID " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new RunLock(ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UserInputException("cannot lock run folder '" + runDir + "': " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return; // released already
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
