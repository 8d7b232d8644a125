package io.berth.engine.runtime.spec;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The host's device nodes, for {@code --device} and {@code --privileged}. A fake in tests. */
public interface HostDevices {
    /** The devices at {@code path}: one for a device node, all below it for a directory. */
    List<LinuxDevice> lookup(String path);

    /** Every device node under /dev (privileged containers get them all). */
    List<LinuxDevice> all();

    /** The real host, read through {@code unix:} file attributes. */
    static HostDevices real() { return Real.INSTANCE; }

    /** Reads device numbers with the JDK's {@code unix:rdev}. */
    final class Real implements HostDevices {
        static final Real INSTANCE = new Real();
        private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

        private Real() {}

        @Override
        public List<LinuxDevice> lookup(String path) {
            Path p = Path.of(path);
            try {
                if (Files.isDirectory(p)) {
                    List<LinuxDevice> out = new ArrayList<>();
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path q : (Iterable<Path>) s::iterator) {
                            LinuxDevice d = stat(q, false);
                            if (d != null) out.add(d);
                        }
                    }
                    return out;
                }
                LinuxDevice d = stat(p, true);
                if (d == null) throw new BerthException.InvalidArgument(
                        "error gathering device information while adding custom device \"" + path + "\": not a device node");
                return List.of(d);
            } catch (NoSuchFileException e) {
                throw new BerthException.InvalidArgument("error gathering device information while adding custom device \""
                        + path + "\": no such file or directory");
            } catch (IOException e) {
                throw new BerthException.SystemError("stat " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<LinuxDevice> all() {
            List<LinuxDevice> out = new ArrayList<>();
            try (Stream<Path> s = Files.walk(Path.of("/dev"))) {
                for (Path q : (Iterable<Path>) s::iterator) {
                    String n = q.toString();
                    // like Docker: skip /dev/pts (a new instance is mounted), /dev/shm, /dev/mqueue and the console
                    if (n.startsWith("/dev/pts/") || n.startsWith("/dev/shm/") || n.startsWith("/dev/mqueue/")
                            || n.equals("/dev/console") || n.equals("/dev/ptmx")) continue;
                    LinuxDevice d = stat(q, false);
                    if (d != null) out.add(d);
                }
            } catch (IOException e) {
                throw new BerthException.SystemError("scan /dev: " + e.getMessage(), e);
            }
            return out;
        }

        private static LinuxDevice stat(Path p, boolean follow) throws IOException {
            LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            int mode = (Integer) Files.getAttribute(p, "unix:mode", opts);
            String type = switch (mode & S_IFMT) {
                case S_IFCHR -> "c";
                case S_IFBLK -> "b";
                case S_IFIFO -> "p";
                default -> null;
            };
            if (type == null) return null;
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", opts);
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            int uid = (Integer) Files.getAttribute(p, "unix:uid", opts);
            int gid = (Integer) Files.getAttribute(p, "unix:gid", opts);
            return new LinuxDevice(p.toString(), type, major, minor, mode & 07777, uid, gid);
        }
    }
}
