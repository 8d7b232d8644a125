package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.api.network.NetworkCreateRequest.IpamConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Address allocation and pool choice, over records in a temporary directory and made-up host routes. No root. */
class IpamTest {
    @TempDir Path tmp;
    private NetworkStore store;
    private final List<Cidr> routes = new ArrayList<>();
    private Ipam ipam;
    private int containers;

    @BeforeEach
    void store() throws Exception {
        store = new NetworkStore(tmp);
        store.load();
        ipam = new Ipam(store, () -> routes);
    }

    private Network network(String name, String subnet, String gateway, String ipRange) throws Exception {
        Network n = new Network(name + "-id", name, "bridge", "2026-01-01T00:00:00Z", subnet, gateway, ipRange, false, false, false,
                Map.of(), Map.of(), "br-" + name, 1500, Map.of(), null, false, null);
        store.save(n);
        return n;
    }

    /** Allocates an address on {@code n} and records a live endpoint holding it, as a running container would. */
    private String take(Network n, String requested) {
        String ip = Cidr.str(ipam.allocate(n, requested));
        String id = "container" + containers++;
        Endpoint e = Endpoint.requested(n.id(), List.of(), List.of(), requested, "").up("ep-" + id, ip, Ipam.mac(Cidr.ip(ip)), "veth" + id, "eth0");
        store.put(new ContainerNet(id, n.name(), List.of(e), "/run/netns/" + id, List.of()));
        return ip;
    }

    @Test
    void allocatesInOrderSkippingNetworkAddressAndGateway() throws Exception {
        Network n = network("a", "10.20.0.0/24", "10.20.0.1", "");
        assertThat(take(n, null)).isEqualTo("10.20.0.2");
        assertThat(take(n, "")).isEqualTo("10.20.0.3");
        assertThat(take(n, null)).isEqualTo("10.20.0.4");
    }

    @Test
    void requestedAddressIsGivenWhenFreeAndRefusedWhenTaken() throws Exception {
        Network n = network("a", "10.20.0.0/24", "10.20.0.1", "");
        assertThat(take(n, "10.20.0.50")).isEqualTo("10.20.0.50");
        assertThatThrownBy(() -> ipam.allocate(n, "10.20.0.50"))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("Address already in use");
        assertThatThrownBy(() -> ipam.allocate(n, "10.20.0.1"))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("Address already in use");
        assertThat(take(n, null)).isEqualTo("10.20.0.2");
    }

    @Test
    void ipRangeLimitsTheAutomaticAddresses() throws Exception {
        Network n = network("a", "10.20.0.0/16", "10.20.0.1", "10.20.5.0/30");
        assertThat(take(n, null)).isEqualTo("10.20.5.0");
        assertThat(take(n, null)).isEqualTo("10.20.5.1");
        assertThat(take(n, null)).isEqualTo("10.20.5.2");
        assertThat(take(n, null)).isEqualTo("10.20.5.3");
        assertThatThrownBy(() -> ipam.allocate(n, null)).isInstanceOf(BerthException.Forbidden.class);
        assertThat(take(n, "10.20.9.9")).as("--ip outside the range but in the subnet").isEqualTo("10.20.9.9");
    }

    @Test
    void exhaustionIsDockersError() throws Exception {
        Network n = network("tiny", "10.30.0.0/30", "10.30.0.1", "");
        assertThat(take(n, null)).isEqualTo("10.30.0.2");
        assertThatThrownBy(() -> ipam.allocate(n, null))
                .isInstanceOf(BerthException.Forbidden.class)
                .hasMessage("no available IPv4 addresses on this network's address pools: tiny (tiny-id)");
    }

    @Test
    void anEndpointTakenDownReleasesItsAddress() throws Exception {
        Network n = network("tiny", "10.30.0.0/30", "10.30.0.1", "");
        assertThat(take(n, null)).isEqualTo("10.30.0.2");
        ContainerNet cn = store.attachment("container0");
        store.put(cn.withEndpoints(List.of(cn.endpoints().getFirst().down())));
        assertThat(take(n, null)).isEqualTo("10.30.0.2");
    }

    @Test
    void aCustomGatewayIsReservedAndTheDefaultOneIsFree() throws Exception {
        Network n = network("a", "10.40.0.0/29", "10.40.0.2", "");
        assertThat(take(n, null)).isEqualTo("10.40.0.1");
        assertThat(take(n, null)).isEqualTo("10.40.0.3");
    }

    @Test
    void addressesOfOtherNetworksDoNotCount() throws Exception {
        Network a = network("a", "10.50.0.0/24", "10.50.0.1", "");
        Network b = network("b", "10.51.0.0/24", "10.51.0.1", "");
        assertThat(take(a, null)).isEqualTo("10.50.0.2");
        assertThat(take(b, null)).isEqualTo("10.51.0.2");
    }

    @Test
    void defaultPoolsAvoidHostRoutesAndOtherNetworks() throws Exception {
        assertThat(ipam.freePool(null)).hasToString("172.17.0.0/16");
        routes.add(Cidr.parse("172.17.0.0/16"));
        routes.add(Cidr.parse("172.19.128.0/24"));
        network("x", "172.18.0.0/16", "172.18.0.1", "");
        assertThat(ipam.freePool(null)).hasToString("172.20.0.0/16");
        assertThat(ipam.freePool("x-id")).as("the network being replaced does not count").hasToString("172.18.0.0/16");
        routes.add(Cidr.parse("172.16.0.0/12"));
        assertThat(ipam.freePool(null)).hasToString("192.168.0.0/20");
        routes.add(Cidr.parse("192.168.0.0/16"));
        assertThatThrownBy(() -> ipam.freePool(null)).isInstanceOf(BerthException.Forbidden.class)
                .hasMessage("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    @Test
    void poolOfACreateRequest() throws Exception {
        assertThat(ipam.pool(List.of())).isEqualTo(new Ipam.Pool("172.17.0.0/16", "172.17.0.1", "", Map.of()));
        assertThat(ipam.pool(List.of(new IpamConfig("10.60.0.0/16", null, null, null))))
                .isEqualTo(new Ipam.Pool("10.60.0.0/16", "10.60.0.1", "", Map.of()));
        assertThat(ipam.pool(List.of(new IpamConfig("10.60.3.4/16", "10.60.8.0/24", "10.60.0.254", null))))
                .as("host bits of the subnet are dropped").isEqualTo(new Ipam.Pool("10.60.0.0/16", "10.60.0.254", "10.60.8.0/24", Map.of()));
    }

    /** {@code --aux-address}: kept with the pool, inside its subnet, and never given to an endpoint. */
    @Test
    void auxiliaryAddressesAreReserved() throws Exception {
        Ipam.Pool p = ipam.pool(List.of(new IpamConfig("10.61.0.0/24", null, null, Map.of("a", "10.61.0.2", "b", "10.61.0.3"))));
        assertThat(p.auxAddresses()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "10.61.0.2", "b", "10.61.0.3"));
        Network n = new Network("aux-id", "aux", "bridge", "2026-01-01T00:00:00Z", p.subnet(), p.gateway(), "", false, false, false,
                Map.of(), Map.of(), "br-aux", 1500, p.auxAddresses(), null, false, null);
        assertThat(Cidr.str(ipam.allocate(n, null))).isEqualTo("10.61.0.4");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.62.0.0/24", null, null, Map.of("a", "10.63.0.2")))))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for aux-address 10.63.0.2");
    }

    @Test
    void poolRequestsDockerRefuses() throws Exception {
        network("x", "10.70.0.0/16", "10.70.0.1", "");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.70.5.0/24", null, null, null))))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("invalid pool request: Pool overlaps with other one on this address space");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.80.0.0/16", null, "10.81.0.1", null))))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for gateway 10.81.0.1");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.80.0.0/16", "10.81.0.0/24", null, null))))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for range 10.81.0.0/24");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.80.0.0/16", "10.80.0.0/8", null, null))))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for range 10.80.0.0/8");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.80.0.0/31", null, null, null))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid subnet 10.80.0.0/31: too small");
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig(null, null, "10.80.0.1", null))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid pool request: gateway and ip-range need a subnet");
        assertThat(ipam.pool(List.of(new IpamConfig("fd00::/64", null, null, null))))
                .as("with only an IPv6 pool, the IPv4 one is a default pool (as moby)").isEqualTo(new Ipam.Pool("172.17.0.0/16", "172.17.0.1", "", Map.of()));
        assertThatThrownBy(() -> ipam.pool(List.of(new IpamConfig("10.90.0.0/16", null, null, null), new IpamConfig("10.91.0.0/16", null, null, null))))
                .isInstanceOf(BerthException.NotImplemented.class);
    }

    @Test
    void macIsDockers() {
        assertThat(Ipam.mac(Cidr.ip("172.17.0.2"))).isEqualTo("02:42:ac:11:00:02");
        assertThat(Ipam.mac(Cidr.ip("10.255.1.200"))).isEqualTo("02:42:0a:ff:01:c8");
    }

    private Network network6(String name, Ipv6Pool pool, boolean enabled) throws Exception {
        Network n = new Network(name + "-id", name, "bridge", "2026-01-01T00:00:00Z", "10.30.0.0/24", "10.30.0.1", "", false, false,
                false, Map.of(), Map.of(), "br-" + name, 1500, Map.of(), null, enabled, pool);
        store.save(n);
        return n;
    }

    /** Takes an IPv6 address on {@code n} (and an IPv4 one) as a running container would. */
    private String take6(Network n, String requested) {
        String ip6 = Cidr6.str(ipam.allocate6(n, requested));
        String ip = Cidr.str(ipam.allocate(n, null));
        String id = "container" + containers++;
        Endpoint e = Endpoint.requested(n.id(), List.of(), List.of(), "", "", List.of(), Map.of(), requested)
                .up("ep-" + id, ip, Ipam.mac(Cidr.ip(ip)), "veth" + id, "eth0", ip6);
        store.put(new ContainerNet(id, n.name(), List.of(e), "/run/netns/" + id, List.of()));
        return ip6;
    }

    @Test
    void ipv6PoolFromTheRequest() throws Exception {
        assertThat(ipam.pool6(List.of(new IpamConfig("10.60.0.0/16", null, null, null)), false)).as("no IPv6 asked for").isNull();
        assertThat(ipam.pool6(List.of(new IpamConfig("2001:389::/64", null, null, null)), true))
                .as("the gateway is the subnet's first address").isEqualTo(new Ipv6Pool("2001:389::/64", "2001:389::1", ""));
        assertThat(ipam.pool6(List.of(new IpamConfig("10.60.0.0/16", null, null, null),
                new IpamConfig("2001:0389::5/64", "2001:389::0/96", "2001:389:0::ffff", null)), true))
                .as("beside an IPv4 pool; short forms").isEqualTo(new Ipv6Pool("2001:389::/64", "2001:389::ffff", "2001:389::/96"));
        assertThat(ipam.pool6(List.of(new IpamConfig("fd01::/64", null, null, null)), false))
                .as("kept without EnableIPv6, as moby keeps it").isEqualTo(new Ipv6Pool("fd01::/64", "fd01::1", ""));
    }

    @Test
    void ipv6PoolsRefusedAsDockerRefusesThem() throws Exception {
        assertThatThrownBy(() -> ipam.pool6(List.of(), true)).isInstanceOf(BerthException.Forbidden.class)
                .hasMessage("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("2001:389::/64", null, "2001:388::1", null)), true))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for gateway 2001:388::1");
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("2001:389::/64", "2001:389::/48", null, null)), true))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("no matching subnet for range 2001:389::/48");
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("2001:389::/127", null, null, null)), true))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid subnet 2001:389::/127: too small");
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("2001:389:x::/64", null, null, null)), true))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid CIDR address: 2001:389:x::/64");
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("fd00:1::/64", null, null, null), new IpamConfig("fd00:2::/64", null, null, null)), true))
                .isInstanceOf(BerthException.NotImplemented.class);
        network6("v6a", new Ipv6Pool("fd00:9::/64", "fd00:9::1", ""), true);
        assertThatThrownBy(() -> ipam.pool6(List.of(new IpamConfig("fd00:9::/80", null, null, null)), true))
                .isInstanceOf(BerthException.Forbidden.class).hasMessage("invalid pool request: Pool overlaps with other one on this address space");
    }

    @Test
    void ipv6AddressesSkipTheSubnetAddressAndTheGatewayAndAreReleased() throws Exception {
        Network n = network6("v6", new Ipv6Pool("2001:db8:1::/64", "2001:db8:1::1", ""), true);
        assertThat(take6(n, null)).isEqualTo("2001:db8:1::2");
        assertThat(take6(n, "2001:db8:1::f00d")).isEqualTo("2001:db8:1::f00d");
        assertThat(take6(n, null)).isEqualTo("2001:db8:1::3");
        assertThatThrownBy(() -> ipam.allocate6(n, "2001:db8:1::f00d")).isInstanceOf(BerthException.Forbidden.class)
                .hasMessage("Address already in use");
        assertThatThrownBy(() -> ipam.allocate6(n, "2001:db8:1::1")).as("the gateway").isInstanceOf(BerthException.Forbidden.class);
        ContainerNet first = store.attachment("container0");
        store.put(first.withEndpoints(List.of(first.endpoints().getFirst().down())));
        assertThat(Cidr6.str(ipam.allocate6(n, null))).as("released by the endpoint going down").isEqualTo("2001:db8:1::2");

        Network ranged = network6("v6r", new Ipv6Pool("2001:389::/64", "2001:389::ffff", "2001:389::/126"), true);
        assertThat(take6(ranged, null)).as("the range starts at the subnet address, which is skipped").isEqualTo("2001:389::1");
        assertThat(take6(ranged, null)).isEqualTo("2001:389::2");
        assertThat(take6(ranged, null)).isEqualTo("2001:389::3");
        assertThatThrownBy(() -> ipam.allocate6(ranged, null)).isInstanceOf(BerthException.Forbidden.class)
                .hasMessageStartingWith("no available IPv6 addresses on this network's address pools: v6r");
    }
}
