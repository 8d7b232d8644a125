package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.engine.testing.Eventually;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel teardown of removed containers after their removal answered: their addresses stay taken until it ran, who
 * needs one now finishes it, and a daemon that stopped first finishes it at its next start. Over records in a temporary
 * directory and a fake kernel part that only notes what it was asked. No root.
 */
class PendingTeardownsTest {
    @TempDir Path tmp;
    private NetworkStore store;
    private Ipam ipam;
    private PendingTeardowns teardowns;
    /** The containers whose teardown the fake kernel part began, and those it ended, in order. */
    private final List<String> begun = new CopyOnWriteArrayList<>();
    private final List<String> unplugged = new CopyOnWriteArrayList<>();
    /** The fake kernel part waits for this before it deletes anything. */
    private CountDownLatch kernel = new CountDownLatch(0);
    private Network net;

    @BeforeEach
    void records() throws Exception {
        open();
        net = network("a", "10.20.0.0/24");
    }

    /** The store, addresses and teardowns as a daemon (re)starting builds them, over the records in {@link #tmp}. */
    private void open() throws Exception {
        store = new NetworkStore(tmp);
        store.load();
        ipam = new Ipam(store, List::of);
        teardowns = new PendingTeardowns(store, cn -> {
            begun.add(cn.containerId());
            try {
                if (!kernel.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the test never let the kernel part run");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            unplugged.add(cn.containerId());
        });
    }

    private Network network(String name, String subnet) throws Exception {
        Cidr c = Cidr.parse(subnet);
        Network n = new Network(name + "-id", name, "bridge", "2026-01-01T00:00:00Z", subnet, Cidr.str(c.base() + 1), "", false, false,
                false, Map.of(), Map.of(), "br-" + name, 1500, Map.of(), null, false, null);
        store.save(n);
        return n;
    }

    /** A running container's record on {@code n} holding {@code ip}, saved as set-up saves it. */
    private ContainerNet running(String id, Network n, String ip) {
        Endpoint e = Endpoint.requested(n.id(), List.of(), List.of(), "", "").up("ep-" + id, ip, Ipam.mac(Cidr.ip(ip)), "veth" + id, "eth0");
        ContainerNet cn = new ContainerNet(id, n.name(), List.of(e), "/run/berth/netns/" + id, List.of());
        store.store(cn);
        return cn;
    }

    /** Runs {@code body} in a thread of its own. */
    private static CompletableFuture<Void> inThread(Runnable body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The first free address of {@code n} now. */
    private String next(Network n) { return Cidr.str(ipam.allocate(n, null)); }

    @Test
    void anAddressStaysTakenUntilTheTeardownHasRun() throws Exception {
        teardowns.add(running("c1", net, "10.20.0.2"));
        assertThat(next(net)).isEqualTo("10.20.0.3");
        assertThatThrownBy(() -> ipam.allocate(net, "10.20.0.2")).isInstanceOf(BerthException.Forbidden.class)
                .hasMessage("Address already in use");

        kernel = new CountDownLatch(1);
        CompletableFuture<Void> finishing = inThread(() -> teardowns.finish("c1"));
        Eventually.eventually(() -> begun.contains("c1"));
        assertThat(next(net)).as("while the veth is being deleted").isEqualTo("10.20.0.3");
        kernel.countDown();
        finishing.get(10, TimeUnit.SECONDS);

        assertThat(unplugged).containsExactly("c1");
        assertThat(store.attachment("c1")).isNull();
        assertThat(tmp.resolve("containers/c1.json")).doesNotExist();
        assertThat(next(net)).isEqualTo("10.20.0.2");
    }

    @Test
    void anAddressAskedForIsTakenOnceTheTeardownHoldingItIsFinishedAndOnlyThatNetworksAreFinished() throws Exception {
        Network other = network("b", "10.30.0.0/24");
        teardowns.add(running("c1", net, "10.20.0.2"));
        teardowns.add(running("c2", other, "10.30.0.2"));
        int ip = teardowns.allocating(net.id(), () -> ipam.allocate(net, "10.20.0.2"));
        assertThat(Cidr.str(ip)).isEqualTo("10.20.0.2");
        assertThat(unplugged).containsExactly("c1");
        assertThat(store.attachment("c1")).isNull();
        assertThat(store.attachment("c2")).as("another network's teardown waits for its turn").isNotNull();
    }

    @Test
    void aFullPoolFinishesTheTeardownsOnItsNetwork() throws Exception {
        Network small = network("s", "10.40.0.0/30"); // one address for containers: .2
        teardowns.add(running("c1", small, "10.40.0.2"));
        assertThatThrownBy(() -> ipam.allocate(small, null)).isInstanceOf(BerthException.Forbidden.class)
                .hasMessageStartingWith("no available IPv4 addresses");
        assertThat(Cidr.str(teardowns.allocating(small.id(), () -> ipam.allocate(small, null)))).isEqualTo("10.40.0.2");
        assertThat(unplugged).containsExactly("c1");
    }

    @Test
    void aRefusalThatNoRemovedContainerCausesStands() throws Exception {
        running("live", net, "10.20.0.2");
        assertThatThrownBy(() -> teardowns.allocating(net.id(), () -> ipam.allocate(net, "10.20.0.2")))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("Address already in use");
        assertThat(unplugged).isEmpty();
    }

    /** A removed container's teardown, begun in the background and held in its kernel part until {@code kernel} opens. */
    private CompletableFuture<Void> teardownHeldInTheKernel(String id) throws Exception {
        teardowns.add(running(id, net, "10.20.0.2"));
        kernel = new CountDownLatch(1);
        CompletableFuture<Void> background = inThread(() -> teardowns.finish(id));
        Eventually.eventually(() -> begun.contains(id));
        return background;
    }

    @Test
    void whoNeedsTheAddressWaitsForATeardownUnderWay() throws Exception {
        CompletableFuture<Void> background = teardownHeldInTheKernel("c1");
        CompletableFuture<String> asking = new CompletableFuture<>();
        Thread asker = Thread.ofPlatform().start(() -> {
            synchronized (store) { // as set-up asks, the store's monitor held
                asking.complete(Cidr.str(teardowns.allocating(net.id(), () -> ipam.allocate(net, "10.20.0.2"))));
            }
        });
        Eventually.eventually(() -> asker.getState() == Thread.State.WAITING); // for the kernel part under way
        assertThat(asking).isNotDone();
        kernel.countDown();
        assertThat(asking.get(10, TimeUnit.SECONDS)).isEqualTo("10.20.0.2");
        background.get(10, TimeUnit.SECONDS);
        assertThat(unplugged).as("deleted once").containsExactly("c1");
        assertThat(store.attachment("c1")).isNull();
    }

    @Test
    void aTeardownRunsOnce() throws Exception {
        teardowns.add(running("c1", net, "10.20.0.2"));
        teardowns.finish("c1");
        teardowns.finish("c1");
        teardowns.finishAll();
        assertThat(unplugged).containsExactly("c1");
    }

    @Test
    void theDaemonsStopFinishesEveryTeardown() throws Exception {
        Network other = network("b", "10.30.0.0/24");
        teardowns.add(running("c1", net, "10.20.0.2"));
        teardowns.add(running("c2", other, "10.30.0.2"));
        teardowns.finishAll();
        assertThat(Set.copyOf(unplugged)).containsExactlyInAnyOrder("c1", "c2");
        assertThat(store.attachments()).isEmpty();
    }

    @Test
    void aTeardownUnderWayWhenTheNetworksResumeIsFinishedOnce() throws Exception {
        // an auto-remove container that exited while the daemon was down, removed by the containers' recovery: its
        // clean-up runs as the networks resume
        CompletableFuture<Void> background = teardownHeldInTheKernel("c1");
        CompletableFuture<Void> resume = inThread(() -> {
            synchronized (store) {
                teardowns.recover(id -> false);
            }
        });
        kernel.countDown();
        resume.get(10, TimeUnit.SECONDS);
        background.get(10, TimeUnit.SECONDS);
        assertThat(unplugged).containsExactly("c1");
        assertThat(store.attachment("c1")).isNull();
    }

    @Test
    void aDaemonStoppedBeforeTheTeardownFinishesItAtItsNextStart() throws Exception {
        teardowns.add(running("removed", net, "10.20.0.2"));
        ContainerNet kept = running("kept", net, "10.20.0.3");
        // berthd is killed here: the removed container's record is gone, its network record and veth are not

        open();
        assertThat(store.attachment("removed")).as("read back").isNotNull();
        assertThat(next(net)).as("still held after the restart").isEqualTo("10.20.0.4");
        teardowns.recover(id -> id.equals("kept"));

        assertThat(unplugged).containsExactly("removed");
        assertThat(store.attachment("removed")).isNull();
        assertThat(tmp.resolve("containers/removed.json")).doesNotExist();
        assertThat(store.attachment("kept")).isEqualTo(kept);
        assertThat(next(net)).isEqualTo("10.20.0.2");
    }
}
