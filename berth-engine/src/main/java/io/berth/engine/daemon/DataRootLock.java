package io.berth.engine.daemon;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on {@code <data-root>/berthd.lock}, so two daemons never share a data root. */
final class DataRootLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataRootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataRootLock acquire(Path dataRoot) {
        try {
            Files.createDirectories(dataRoot);
            FileChannel ch = FileChannel.open(dataRoot.resolve("berthd.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new BerthException.Conflict("another berthd is already running with data root " + dataRoot
                        + " (lock " + dataRoot.resolve("berthd.lock") + " is held)");
            }
            return new DataRootLock(ch, l);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot lock data root " + dataRoot + ": " + e.getMessage(), e);
        }
    }

    @Override public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing a lock file we own cannot lose data; the kernel drops the lock with the fd anyway
        }
    }
}
