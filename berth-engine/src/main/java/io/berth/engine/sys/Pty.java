package io.berth.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A pseudo-terminal pair in raw mode: berthd keeps the master, a child gets the slave (by path) as its stdio.
 * Linux x86_64, glibc. Read and write the master with {@link Unix#read}/{@link Unix#write}; after
 * the last holder of the slave is gone, reads fail with EIO (end of file).
 */
public record Pty(int master, Path slave) {
    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static final long TIOCSWINSZ = 0x5414;

    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Downcall OPENPT = Downcall.errno("posix_openpt", JAVA_INT, JAVA_INT);
    private static final Downcall GRANTPT = Downcall.errno("grantpt", JAVA_INT, JAVA_INT);
    private static final Downcall UNLOCKPT = Downcall.errno("unlockpt", JAVA_INT, JAVA_INT);
    private static final Downcall PTSNAME_R = Downcall.errno("ptsname_r", JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall TCGETATTR = Downcall.errno("tcgetattr", JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall TCSETATTR = Downcall.errno("tcsetattr", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall CFMAKERAW = Downcall.of("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    private static final Downcall IOCTL = Downcall.of("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));

    /** Opens a new pair; the master is close-on-exec and not our controlling terminal. */
    public static Pty open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = (int) OPENPT.handle().invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (fd < 0) throw fail("posix_openpt", st);
            try {
                if ((int) GRANTPT.handle().invokeExact(st, fd) != 0) throw fail("grantpt", st);
                if ((int) UNLOCKPT.handle().invokeExact(st, fd) != 0) throw fail("unlockpt", st);
                MemorySegment name = a.allocate(128);
                int r = (int) PTSNAME_R.handle().invokeExact(st, fd, name, 128L);
                if (r != 0) throw new IOException("ptsname_r: error " + r);
                MemorySegment termios = a.allocate(128, 8);
                if ((int) TCGETATTR.handle().invokeExact(st, fd, termios) != 0) throw fail("tcgetattr", st);
                CFMAKERAW.handle().invokeExact(termios);
                if ((int) TCSETATTR.handle().invokeExact(st, fd, 0, termios) != 0) throw fail("tcsetattr", st);
                return new Pty(fd, Path.of(name.getString(0, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                Unix.get().close(fd);
                throw e;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets the terminal's window size ({@code TIOCSWINSZ} on {@code fd}, either side of a pair). */
    public static void resize(int fd, int height, int width) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment ws = a.allocate(8, 2);
            ws.set(JAVA_SHORT, 0, (short) height);
            ws.set(JAVA_SHORT, 2, (short) width);
            int r = (int) IOCTL.handle().invokeExact(st, fd, TIOCSWINSZ, ws);
            if (r != 0) throw fail("ioctl TIOCSWINSZ", st);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static IOException fail(String call, MemorySegment st) {
        return new IOException(call + ": errno " + (int) ERRNO.get(st, 0L));
    }
}
