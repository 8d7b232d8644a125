package io.berth.engine.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConsoleSocket} and the {@link Unix} calls under it, with this test as the runtime that sends a descriptor. */
class ConsoleSocketTest {
    @TempDir
    Path tmp;

    private final Unix unix = Unix.get();

    private interface PipeBody {
        void run(int[] pipe) throws Throwable;
    }

    /** Runs {@code body} with a pipe ({@code [read, write]}), closed after. */
    private void withPipe(PipeBody body) throws Throwable {
        int[] pipe = unix.pipe();
        try {
            body.run(pipe);
        } finally {
            unix.close(pipe[0]);
            unix.close(pipe[1]);
        }
    }

    @Test
    void receivesTheDescriptorTheRuntimeSendsAndReadsThroughIt() throws Throwable {
        withPipe(pipe -> {
            try (ConsoleSocket cs = ConsoleSocket.listen(tmp.resolve("tty.sock"))) {
                CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> receive(cs));
                Runtime.send(cs.path(), pipe[0], " ");
                int fd = received.get(10, TimeUnit.SECONDS);
                try {
                    assertThat(fd).isGreaterThan(2).isNotEqualTo(pipe[0]);
                    unix.write(pipe[1], "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
                    byte[] buf = new byte[16];
                    int n = unix.read(fd, buf, 0, buf.length);
                    assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello");
                } finally {
                    unix.close(fd);
                }
            }
        });
    }

    @Test
    void aPathLongerThanSunPathIsBoundThroughItsDirectory() throws Throwable {
        Path deep = Files.createDirectories(tmp.resolve("d".repeat(60)).resolve("e".repeat(60)));
        Path shortcut = Files.createSymbolicLink(tmp.resolve("s"), deep);
        withPipe(pipe -> {
            try (ConsoleSocket cs = ConsoleSocket.listen(deep.resolve("tty.sock"))) {
                assertThat(cs.path().toString().length()).isGreaterThan(107);
                assertThat(deep.resolve("tty.sock")).exists();
                CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> receive(cs));
                Runtime.send(shortcut.resolve("tty.sock"), pipe[0], "x");
                int fd = received.get(10, TimeUnit.SECONDS);
                assertThat(fd).isGreaterThan(2);
                unix.close(fd);
            }
        });
    }

    @Test
    void abandonEndsABlockedReceive() throws Throwable {
        try (ConsoleSocket cs = ConsoleSocket.listen(tmp.resolve("tty.sock"))) {
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> receive(cs));
            cs.abandon();
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }

    @Test
    void aDescriptorSentBeforeTheRuntimeExitedIsStillReceived() throws Throwable {
        withPipe(pipe -> {
            try (ConsoleSocket cs = ConsoleSocket.listen(tmp.resolve("tty.sock"))) {
                Runtime.send(cs.path(), pipe[0], " ");
                cs.abandon();
                int fd = cs.receiveMaster();
                assertThat(fd).isGreaterThan(2);
                unix.close(fd);
            }
        });
    }

    @Test
    void aRuntimeThatHangsUpWithoutADescriptorGivesNone() throws Throwable {
        try (ConsoleSocket cs = ConsoleSocket.listen(tmp.resolve("tty.sock"))) {
            Runtime.send(cs.path(), -1, "");
            assertThat(cs.receiveMaster()).isEqualTo(-1);
        }
    }

    @Test
    void closeDeletesTheSocketFile() throws Throwable {
        ConsoleSocket cs = ConsoleSocket.listen(tmp.resolve("tty.sock"));
        assertThat(tmp.resolve("tty.sock")).exists();
        cs.close();
        cs.abandon(); // after close: nothing to shut down
        assertThat(tmp.resolve("tty.sock")).doesNotExist();
    }

    private static int receive(ConsoleSocket cs) {
        try {
            return cs.receiveMaster();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runtime's side: connect, send {@code data} with the descriptor (none when negative), hang up. */
    private static final class Runtime {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        private static final MethodHandle CONNECT = fn("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        private static final MethodHandle SENDMSG = fn("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

        private static MethodHandle fn(String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
        }

        static void send(Path socketPath, int fd, String data) throws Throwable {
            int sock = (int) SOCKET.invokeExact(1, 1, 0); // AF_UNIX, SOCK_STREAM
            assertThat(sock).isNotNegative();
            try (Arena a = Arena.ofConfined()) {
                byte[] name = socketPath.toString().getBytes(StandardCharsets.UTF_8);
                MemorySegment addr = a.allocate(110, 2);
                addr.set(JAVA_SHORT, 0, (short) 1);
                MemorySegment.copy(name, 0, addr, JAVA_BYTE, 2, name.length);
                assertThat((int) CONNECT.invokeExact(sock, addr, 2 + name.length + 1)).isZero();
                if (fd < 0) return;
                byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
                MemorySegment buf = a.allocate(Math.max(1, bytes.length));
                MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
                MemorySegment iov = a.allocate(16, 8);
                iov.set(ADDRESS, 0, buf);
                iov.set(JAVA_LONG, 8, bytes.length);
                MemorySegment control = a.allocate(24, 8);
                control.set(JAVA_LONG, 0, 20L); // CMSG_LEN(sizeof(int))
                control.set(JAVA_INT, 8, 1);    // SOL_SOCKET
                control.set(JAVA_INT, 12, 1);   // SCM_RIGHTS
                control.set(JAVA_INT, 16, fd);
                MemorySegment msg = a.allocate(56, 8);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1L);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, 24L);
                assertThat((long) SENDMSG.invokeExact(sock, msg, 0)).isEqualTo((long) bytes.length);
            } finally {
                Unix.get().close(sock);
            }
        }
    }
}
