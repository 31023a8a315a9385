package dev.mtlj.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes files so that readers see either the old complete file or the new complete file, never a torn one:
 * write a temporary sibling, flush it to disk, then rename it over the target.
 */
public final class AtomicFiles {
    /** Writes the content of a file at the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole content to {@code tmp}. */
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Runs {@code writer} on a temporary sibling of {@code target}, then atomically replaces {@code target}.
     * If the writer fails, the temporary file is removed and {@code target} is untouched.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(
                "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temporary files that {@link #write} leaves in {@code dir} when its process is killed mid-write
     * (a kill -9 or power loss skips the cleanup). Call only while holding the folder's lock, so no live writer's file
     * is taken. Returns the files removed.
     */
    public static List<Path> removeStale(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        String own = ".tmp-" + ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp-*")) {
            for (Path f : files) {
                if (!f.getFileName().toString().endsWith(own) && Files.deleteIfExists(f)) {
                    removed.add(f);
                }
            }
        }
        return removed;
    }

    /** Writes a small text file atomically. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, tmp -> Files.writeString(tmp, content));
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every file system lets a directory be opened for sync; the rename itself is still atomic.
        }
    }
}
