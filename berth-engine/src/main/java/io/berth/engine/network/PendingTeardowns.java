package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of removals that answer first and clean up after: the kernel part of a removed container's teardown
 * (its veths and netns, about 16 ms on a bridge) runs off the path its client waits on. Until it has run, the container's
 * record stays in the {@link NetworkStore} with its endpoints live, so {@link Ipam} keeps their addresses: no address is
 * given out while the veth that held it still exists. Who needs such an address at once ({@code --ip}, a full pool)
 * finishes the teardowns on that network first ({@link #allocating}), as {@code network rm} and {@code prune} do before
 * deleting its bridge, and the daemon's stop does them all ({@link #finishAll}). A daemon killed before a teardown ran leaves a
 * record without a container, which the next start finishes ({@link #recover}). Methods that do not say otherwise are
 * called under the store's monitor; the kernel work of {@link #finish} runs outside it.
 */
final class PendingTeardowns {
    private static final Logger LOG = LoggerFactory.getLogger(PendingTeardowns.class);

    /** The kernel part of a teardown: deletes the host veth of each live endpoint of a record, and its netns. */
    interface Unplug {
        void unplug(ContainerNet cn) throws IOException;
    }

    /** A teardown claimed by {@link #finish}, whose kernel work is under way outside the monitor. */
    private record Running(ContainerNet cn, CompletableFuture<Void> unplugged) {}

    private final NetworkStore store;
    private final Unplug unplug;
    /** Removed containers' records whose teardown no one has claimed yet, by container ID. */
    private final Map<String, ContainerNet> pending = new HashMap<>();
    /** Teardowns whose kernel work runs now, by container ID. */
    private final Map<String, Running> running = new HashMap<>();

    PendingTeardowns(NetworkStore store, Unplug unplug) {
        this.store = store;
        this.unplug = unplug;
    }

    /** Keeps a removed container's record, its endpoints and netns still there, for a {@link #finish} after the removal answered. */
    void add(ContainerNet cn) { pending.put(cn.containerId(), cn); }

    /**
     * Off the removal's path, without the monitor held: deletes the container's veths and netns, then forgets its record
     * (its addresses are free from then on). Nothing when its teardown is done or under way already.
     */
    void finish(String containerId) {
        Running r;
        synchronized (store) {
            ContainerNet cn = pending.remove(containerId);
            if (cn == null) return;
            r = new Running(cn, new CompletableFuture<>());
            running.put(containerId, r);
        }
        try {
            unplugQuietly(r.cn());
        } finally {
            r.unplugged().complete(null);
        }
        synchronized (store) {
            if (running.remove(containerId, r)) forget(containerId);
        }
    }

    /**
     * Allocates through {@code allocate} on network {@code networkId}; when it is refused (the address asked for is held,
     * or the pool is full) and removed containers still hold addresses there, finishes their teardowns now and tries once more.
     */
    <T> T allocating(String networkId, Supplier<T> allocate) {
        try {
            return allocate.get();
        } catch (BerthException.Forbidden e) {
            if (!finishOn(networkId)) throw e;
            return allocate.get();
        }
    }

    /** Finishes now the teardowns holding an endpoint on the network (waiting for those under way); whether there was any. */
    boolean finishOn(String networkId) {
        List<String> ids = new ArrayList<>();
        for (var e : pending.entrySet()) if (on(e.getValue(), networkId)) ids.add(e.getKey());
        for (var e : running.entrySet()) if (on(e.getValue().cn(), networkId)) ids.add(e.getKey());
        for (String id : ids) finishNow(id);
        return !ids.isEmpty();
    }

    /** At the daemon's stop: finishes every teardown now. */
    void finishAll() {
        List<String> ids = new ArrayList<>(pending.keySet());
        ids.addAll(running.keySet());
        for (String id : ids) finishNow(id);
    }

    /**
     * At the daemon's start: the records of containers that are gone are removals whose teardown a stop came before (the
     * container's record goes before the answer, the network's after it); their veths and netns are deleted and the
     * records forgotten. (A removal made by the containers' own recovery, an auto-remove container that exited while the
     * daemon was down, may have begun its teardown already: it is finished here as well.)
     */
    void recover(Predicate<String> containerExists) {
        for (ContainerNet cn : List.copyOf(store.attachments())) {
            String id = cn.containerId();
            if (containerExists.test(id)) continue;
            if (!pending.containsKey(id) && !running.containsKey(id)) add(cn);
            finishNow(id);
        }
    }

    /** Under the monitor: the teardown of one container, done here, or awaited when {@link #finish} runs it. */
    private void finishNow(String containerId) {
        ContainerNet cn = pending.remove(containerId);
        if (cn != null) {
            unplugQuietly(cn);
        } else {
            Running r = running.remove(containerId);
            if (r == null) return;
            r.unplugged().join(); // its kernel work takes no lock: waiting here, monitor held, ends
        }
        forget(containerId);
    }

    private static boolean on(ContainerNet cn, String networkId) {
        return cn.endpoints().stream().anyMatch(e -> e.live() && e.networkId().equals(networkId));
    }

    private void unplugQuietly(ContainerNet cn) {
        try {
            unplug.unplug(cn);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot take down the network of removed container {}: {}", cn.containerId(), e.getMessage());
        }
    }

    private void forget(String containerId) {
        try {
            store.forget(containerId);
        } catch (IOException e) {
            LOG.warn("cannot remove the network record of {}: {}", containerId, e.getMessage());
        }
    }
}
