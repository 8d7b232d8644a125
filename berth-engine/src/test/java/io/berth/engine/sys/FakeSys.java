package io.berth.engine.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Sys} that mounts nothing: it records which targets are "mounted" so that tests of code
 * that mounts (container root file systems) run without root. The file-system calls are not faked.
 */
public final class FakeSys implements Sys {
    private final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    /** The targets mounted and not yet unmounted. */
    public Set<Path> mounted() {
        return Set.copyOf(mounted);
    }

    @Override
    public void mount(String source, Path target, String fsType, long flags, String data) {
        mounted.add(target);
    }

    @Override
    public void umount(Path target, int flags) throws IOException {
        if (!mounted.remove(target)) throw new IOException("umount " + target + ": Invalid argument");
    }

    @Override
    public void mknod(Path path, int fileType, int perm, int major, int minor) {
        throw new UnsupportedOperationException("mknod");
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        throw new UnsupportedOperationException("lchown");
    }

    @Override
    public void chmod(Path path, int mode) {
        throw new UnsupportedOperationException("chmod");
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        throw new UnsupportedOperationException("lsetxattr");
    }

    @Override
    public byte[] lgetxattr(Path path, String name) {
        throw new UnsupportedOperationException("lgetxattr");
    }

    @Override
    public List<String> llistxattr(Path path) {
        throw new UnsupportedOperationException("llistxattr");
    }

    @Override
    public void lutimes(Path path, Instant atime, Instant mtime) {
        throw new UnsupportedOperationException("lutimes");
    }

    @Override
    public LStat lstat(Path path) {
        throw new UnsupportedOperationException("lstat");
    }
}
