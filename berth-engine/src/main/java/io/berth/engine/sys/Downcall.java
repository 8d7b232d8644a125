package io.berth.engine.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A libc function whose downcall handle is linked on its first call, not when the class declaring it is initialised.
 * Linking a downcall handle generates classes (10–30 ms each in a fresh JVM on a 2-core machine, and a JDK AOT cache
 * keeps none of them); the engine declares about sixty functions, berthd's start calls a handful, and linking them all
 * eagerly took ~400 ms of its start. {@link #linkAll()} links the rest off the path a client waits on. The symbol is
 * looked up at once, so a libc without it still fails when the class is initialised.
 */
@SuppressWarnings("restricted") // native access is this package's purpose; surefire and berthd enable it
public final class Downcall {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Queue<Downcall> UNLINKED = new ConcurrentLinkedQueue<>();
    /** The classes of this package that declare downcalls: initialising them declares theirs. */
    private static final List<Class<?>> DECLARERS = List.of(LinuxSys.class, Unix.class, ProcessExitEvents.class, NetNs.class,
            Netlink.class, Pty.class);

    private final MemorySegment symbol;
    private final FunctionDescriptor descriptor;
    private final Linker.Option[] options;
    private volatile MethodHandle handle;

    private Downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        this.symbol = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        this.descriptor = descriptor;
        this.options = options;
        UNLINKED.add(this);
    }

    /** {@code name} with {@code errno} captured (the handle's first argument is the capture state segment). */
    static Downcall errno(String name, ValueLayout ret, ValueLayout... args) {
        return new Downcall(name, FunctionDescriptor.of(ret, args), Linker.Option.captureCallState("errno"));
    }

    /** {@code name} without errno capture. */
    static Downcall plain(String name, ValueLayout ret, ValueLayout... args) {
        return new Downcall(name, FunctionDescriptor.of(ret, args));
    }

    /** {@code name} with its descriptor and linker options spelled out (variadic, void). */
    static Downcall of(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return new Downcall(name, descriptor, options);
    }

    /** The linked handle: linked by the first caller, the same handle for every later one. */
    MethodHandle handle() {
        MethodHandle h = handle;
        if (h != null) return h;
        synchronized (this) {
            if (handle == null) handle = LINKER.downcallHandle(symbol, descriptor, options);
            return handle;
        }
    }

    /** Whether {@link #handle()} has linked it. */
    boolean linked() {
        return handle != null;
    }

    /**
     * Declares every downcall of this package and links those not linked yet, so that the first container start,
     * exec or network operation does not pay for it. Safe beside callers: each function is linked once.
     */
    public static void linkAll() {
        for (Class<?> c : DECLARERS) {
            try {
                MethodHandles.lookup().ensureInitialized(c);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Downcall d; (d = UNLINKED.poll()) != null; ) d.handle();
    }
}
