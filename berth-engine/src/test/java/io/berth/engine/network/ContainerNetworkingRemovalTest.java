package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.HostConfig;
import io.berth.api.events.EventMessage;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import io.berth.engine.container.ContainerState;
import io.berth.engine.container.EtcFiles;
import io.berth.engine.events.EventBus;
import io.berth.engine.service.EventService;
import io.berth.engine.sys.FakeSys;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a removal does to a container's network before it answers (what a user can see goes: published ports and their
 * rules, the endpoint in {@code network inspect}, the {@code disconnect} events) and what it leaves for after (the veths
 * and netns, whose addresses stay taken until then). The kernel part is a fake that notes what it was asked; published
 * ports are real listeners on loopback. No root.
 */
class ContainerNetworkingRemovalTest {
    private static final String C1 = "c".repeat(64);
    private static final String C2 = "d".repeat(64);

    @TempDir Path tmp;
    private NetworkStore store;
    private Ipam ipam;
    private PortPublisher ports;
    private ContainerNetworking hooks;
    private NetworkViews views;
    private EventService.Subscription events;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<String> unplugged = new CopyOnWriteArrayList<>();
    private Network net;

    @BeforeEach
    void parts() throws Exception {
        store = new NetworkStore(tmp.resolve("networks"));
        store.load();
        net = new Network("n".repeat(64), "net1", "bridge", "2026-01-01T00:00:00Z", "10.9.0.0/24", "10.9.0.1", "", false, false,
                false, Map.of(), Map.of(), "br-test", 1500, Map.of(), Map.of(), false, null);
        store.save(net);
        ipam = new Ipam(store, List::of);
        ContainerLookup lookup = new Lookup(containers);
        EventBus bus = new EventBus();
        events = bus.subscribe(e -> true, e -> false);
        NetworkEvents netEvents = new NetworkEvents(bus);
        Plumbing plumbing = new Plumbing(new FakeSys(), tmp.resolve("netns"));
        Bridges bridges = new Bridges(store, plumbing, new Firewall(() -> null));
        PendingTeardowns teardowns = new PendingTeardowns(store, cn -> unplugged.add(cn.containerId()));
        ports = new PortPublisher();
        views = new NetworkViews(store, lookup);
        hooks = new ContainerNetworking(store, new Attachments(store, ipam, bridges, plumbing, netEvents, teardowns), ports, bridges,
                new NoEtcFiles(), netEvents, views, new ContainerDns(store, lookup), new Links(store, lookup), teardowns);
    }

    @AfterEach
    void close() {
        ports.close();
        events.close();
    }

    private Container running(String id) {
        ContainerConfig cfg = new ContainerConfig("h", "", "", false, false, false, Map.of(), false, false, false, List.of(),
                List.of(), null, null, "busybox", null, "", null, null, null, null, Map.of(), null, null, null);
        HostConfig.Builder hb = HostConfig.builder();
        hb.networkMode = "net1";
        Container c = new Container(id, "web", Instant.now(), "sh", List.of(), cfg, hb.build(), "sha256:x", "busybox", List.of(),
                ContainerState.created().running(id, 42, Instant.now()));
        containers.put(id, c);
        return c;
    }

    /** A container's record as set-up leaves it: live on net1 at {@code ip}, publishing {@code hostPort} on loopback. */
    private ContainerNet setUp(String id, String ip, int hostPort) throws Exception {
        running(id);
        Endpoint e = Endpoint.requested(net.id(), List.of(), List.of(), "", "").up("e" + id.substring(1), ip, Ipam.mac(Cidr.ip(ip)),
                "veth" + id.substring(0, 7), "eth0");
        ContainerNet cn = new ContainerNet(id, "net1", List.of(e), tmp.resolve("netns").resolve(id).toString(),
                List.of(new PortMapping("tcp", 80, "127.0.0.1", hostPort, ip)));
        store.store(cn.withPorts(ports.reopen(cn)));
        return store.attachment(id);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Test
    void whatAUserSeesGoesAtOnceAndTheAddressWithTheVeth() throws Exception {
        int hostPort = freePort();
        setUp(C1, "10.9.0.2", hostPort);
        events.drain();

        Runnable rest = hooks.removed(C1);
        containers.remove(C1); // the lifecycle forgets the container's own record next, before the answer

        assertThat(events.drain()).extracting(EventMessage::action).containsExactly("disconnect");
        assertThat(store.ports()).as("the DNAT rules are written from these").isEmpty();
        assertThat(views.render(net, true).containers()).isEmpty();
        assertThat(unplugged).isEmpty();
        assertThat(Cidr.str(ipam.allocate(net, null))).as("the old veth still has .2").isEqualTo("10.9.0.3");
        // docker run -p <port>:80 right after: the host port is free, on the next address
        ContainerNet next = setUp(C2, "10.9.0.3", hostPort);
        assertThat(next.ports()).extracting(PortMapping::hostPort).containsExactly(hostPort);

        rest.run();
        assertThat(unplugged).containsExactly(C1);
        assertThat(store.attachment(C1)).isNull();
        assertThat(tmp.resolve("networks/containers/" + C1 + ".json")).doesNotExist();
        assertThat(Cidr.str(ipam.allocate(net, null))).isEqualTo("10.9.0.2");
    }

    @Test
    void aContainerThatNeverRanLeavesNothingForLater() throws Exception {
        Container c = running(C1);
        hooks.created(c, null);
        assertThat(store.attachment(C1)).isNotNull();

        hooks.removed(C1).run();
        assertThat(store.attachment(C1)).isNull();
        assertThat(unplugged).as("nothing was in the kernel").isEmpty();
    }

    private static final class NoEtcFiles implements EtcFiles {
        @Override public void networkUp(Container c, String address, boolean embeddedDns, List<String> hostEntries) { }

        @Override public void resolverChanged(Container c, boolean embeddedDns) { }
    }

    private record Lookup(Map<String, Container> all) implements ContainerLookup {
        @Override public Optional<Container> get(String id) { return Optional.ofNullable(all.get(id)); }

        @Override public Container require(String ref) { return get(ref).orElseThrow(() -> new NoSuchElementException(ref)); }

        @Override public <T> T locked(String id, Supplier<T> body) { return body.get(); }
    }
}
