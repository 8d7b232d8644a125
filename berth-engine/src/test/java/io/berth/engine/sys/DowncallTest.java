package io.berth.engine.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Linux x86_64, glibc. */
class DowncallTest {
    @Test
    void linksOnTheFirstCallOnly() throws Throwable {
        Downcall getpid = Downcall.plain("getpid", JAVA_INT);
        assertThat(getpid.linked()).isFalse();
        MethodHandle h = getpid.handle();
        assertThat(getpid.linked()).isTrue();
        assertThat(getpid.handle()).isSameAs(h);
        assertThat((long) (int) h.invokeExact()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void capturesErrno() throws Throwable {
        Downcall close = Downcall.errno("close", JAVA_INT, JAVA_INT);
        MemoryLayout state = Linker.Option.captureStateLayout();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(state);
            assertThat((int) close.handle().invokeExact(st, -1)).isEqualTo(-1);
            int errno = (int) state.varHandle(MemoryLayout.PathElement.groupElement("errno")).get(st, 0L);
            assertThat(errno).isEqualTo(9); // EBADF
        }
    }

    @Test
    void aMissingSymbolFailsWhenDeclared() {
        assertThatThrownBy(() -> Downcall.plain("berth_no_such_function", JAVA_INT))
                .isInstanceOf(UnsatisfiedLinkError.class).hasMessage("libc has no berth_no_such_function");
    }

    @Test
    void linkAllLinksWhatIsDeclared() {
        Downcall getuid = Downcall.plain("getuid", JAVA_INT);
        Downcall.linkAll();
        assertThat(getuid.linked()).isTrue();
    }

    @Test
    void concurrentFirstCallersShareOneHandle() throws Exception {
        Downcall getppid = Downcall.plain("getppid", JAVA_INT);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<MethodHandle>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) calls.add(getppid::handle);
            List<MethodHandle> got = new ArrayList<>();
            for (Future<MethodHandle> f : pool.invokeAll(calls)) got.add(f.get());
            assertThat(got).allSatisfy(h -> assertThat(h).isSameAs(got.getFirst()));
        } finally {
            pool.shutdownNow();
        }
    }
}
