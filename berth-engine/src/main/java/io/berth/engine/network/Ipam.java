package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import io.berth.api.network.NetworkCreateRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Docker's default IPAM: a network's IPv4 pool (asked for, or the first free default one that
 * overlaps no host route and no other network), and a container's address in it (asked for with
 * {@code --ip}, or the first free one of the pool or its {@code --ip-range}; never the network
 * address, the broadcast address or the gateway). The IPv6 pool must be asked for (moby 20.10 has no
 * default IPv6 pools); its gateway defaults to the subnet's first address and endpoints get the first free
 * address of its range (never the subnet address or the gateway; IPv6 has no broadcast address). An address
 * is in use while an endpoint holding it is live, so tearing an endpoint down releases it.
 */
final class Ipam {
    /** The host's IPv4 routes, which a default pool must not overlap. */
    interface HostRoutes {
        List<Cidr> read() throws IOException;
    }

    /**
     * A network's pool: subnet and gateway, the range addresses are taken from ("" for the whole subnet), and the
     * auxiliary addresses (name → address) that are never given out.
     */
    record Pool(String subnet, String gateway, String ipRange, Map<String, String> auxAddresses) {}

    private final NetworkStore store;
    private final HostRoutes routes;

    Ipam(NetworkStore store, HostRoutes routes) {
        this.store = store;
        this.routes = routes;
    }

    /** Whether a pool of {@code IPAM.Config} is an IPv6 one (by its subnet). */
    static boolean isV6(NetworkCreateRequest.IpamConfig p) { return notEmpty(p.subnet()) && p.subnet().contains(":"); }

    /** The IPv4 pool of a new network from the request's {@code IPAM.Config} (at most one IPv4 pool; IPv6 ones are {@link #pool6}'s). */
    Pool pool(List<NetworkCreateRequest.IpamConfig> all) {
        List<NetworkCreateRequest.IpamConfig> pools = all.stream().filter(p -> !isV6(p)).toList();
        if (pools.size() > 1) throw new BerthException.NotImplemented("only one IPv4 pool per network is supported");
        String gateway = "";
        String ipRange = "";
        Map<String, String> aux = new TreeMap<>();
        try {
            Cidr c;
            if (!pools.isEmpty() && notEmpty(pools.getFirst().subnet())) {
                NetworkCreateRequest.IpamConfig p = pools.getFirst();
                int[] hp = Cidr.parseHost(p.subnet());
                c = new Cidr(hp[0], hp[1]);
                if (c.bits() > 30) throw new BerthException.InvalidArgument("invalid subnet " + p.subnet() + ": too small");
                for (Network n : store.networks()) {
                    if (!n.subnet().isEmpty() && n.cidr().overlaps(c)) {
                        throw new BerthException.Forbidden("invalid pool request: Pool overlaps with other one on this address space");
                    }
                }
                if (notEmpty(p.gateway())) {
                    if (!c.contains(Cidr.ip(p.gateway()))) throw new BerthException.Forbidden("no matching subnet for gateway " + p.gateway());
                    gateway = p.gateway();
                }
                if (notEmpty(p.ipRange())) {
                    Cidr r = Cidr.parse(p.ipRange());
                    if (!c.contains(r.base()) || r.bits() < c.bits()) {
                        throw new BerthException.Forbidden("no matching subnet for range " + p.ipRange());
                    }
                    ipRange = r.toString();
                }
                if (p.auxiliaryAddresses() != null) {
                    for (var e : p.auxiliaryAddresses().entrySet()) {
                        if (e.getValue() == null || !c.contains(Cidr.ip(e.getValue()))) {
                            throw new BerthException.Forbidden("no matching subnet for aux-address " + e.getValue());
                        }
                        aux.put(e.getKey(), e.getValue());
                    }
                }
            } else {
                if (!pools.isEmpty() && (notEmpty(pools.getFirst().gateway()) || notEmpty(pools.getFirst().ipRange()))) {
                    throw new BerthException.InvalidArgument("invalid pool request: gateway and ip-range need a subnet");
                }
                c = freePool(null);
            }
            return new Pool(c.toString(), gateway.isEmpty() ? Cidr.str(c.base() + 1) : gateway, ipRange, aux);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot read the host's routes: " + e.getMessage(), e);
        }
    }

    /**
     * The IPv6 pool of a new network from the request's {@code IPAM.Config} (at most one): null when none was
     * asked for and {@code enableIpv6} is false; with {@code enableIpv6} and none asked for, moby 20.10's error.
     */
    Ipv6Pool pool6(List<NetworkCreateRequest.IpamConfig> all, boolean enableIpv6) {
        List<NetworkCreateRequest.IpamConfig> pools = all.stream().filter(Ipam::isV6).toList();
        if (pools.size() > 1) throw new BerthException.NotImplemented("only one IPv6 pool per network is supported");
        if (pools.isEmpty()) {
            if (!enableIpv6) return null;
            throw new BerthException.Forbidden("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
        }
        NetworkCreateRequest.IpamConfig p = pools.getFirst();
        Cidr6 c = Cidr6.parse(p.subnet());
        if (c.bits() > 126) throw new BerthException.InvalidArgument("invalid subnet " + p.subnet() + ": too small");
        for (Network n : store.networks()) {
            if (n.ipv6() != null && n.ipv6().cidr().overlaps(c)) {
                throw new BerthException.Forbidden("invalid pool request: Pool overlaps with other one on this address space");
            }
        }
        String gateway = Cidr6.str(c.base().add(BigInteger.ONE));
        if (notEmpty(p.gateway())) {
            if (!Cidr6.isIp(p.gateway()) || !c.contains(Cidr6.ip(p.gateway()))) {
                throw new BerthException.Forbidden("no matching subnet for gateway " + p.gateway());
            }
            gateway = Cidr6.str(Cidr6.ip(p.gateway()));
        }
        String ipRange = "";
        if (notEmpty(p.ipRange())) {
            Cidr6 r = Cidr6.parse(p.ipRange());
            if (!c.contains(r.base()) || r.bits() < c.bits()) throw new BerthException.Forbidden("no matching subnet for range " + p.ipRange());
            ipRange = r.toString();
        }
        if (p.auxiliaryAddresses() != null && !p.auxiliaryAddresses().isEmpty()) {
            throw new BerthException.NotImplemented("auxiliary addresses of an IPv6 pool are not supported");
        }
        return new Ipv6Pool(c.toString(), gateway, ipRange);
    }

    /** The first private /16 of 172.17–31, then the /20s of 192.168, that no host route and no network (but {@code ignoreId}) overlaps. */
    Cidr freePool(String ignoreId) throws IOException {
        List<Cidr> taken = new ArrayList<>(routes.read());
        for (Network n : store.networks()) {
            if (!n.subnet().isEmpty() && !n.id().equals(ignoreId)) taken.add(n.cidr());
        }
        List<Cidr> pool = new ArrayList<>();
        for (int b = 17; b <= 31; b++) pool.add(new Cidr(Cidr.ip("172." + b + ".0.0"), 16));
        for (int b = 0; b < 256; b += 16) pool.add(new Cidr(Cidr.ip("192.168." + b + ".0"), 20));
        for (Cidr c : pool) {
            if (taken.stream().noneMatch(c::overlaps)) return c;
        }
        throw new BerthException.Forbidden("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /** An address for a new endpoint on {@code n}: {@code requested} if free, else the first free one. */
    int allocate(Network n, String requested) {
        Set<Integer> used = new HashSet<>();
        used.add(Cidr.ip(n.gateway()));
        for (String a : n.auxAddresses().values()) used.add(Cidr.ip(a));
        for (ContainerNet cn : store.attachments()) {
            for (Endpoint e : cn.endpoints()) if (e.networkId().equals(n.id()) && e.live()) used.add(Cidr.ip(e.ip()));
        }
        Cidr cidr = n.cidr();
        if (notEmpty(requested)) {
            int ip = Cidr.ip(requested);
            if (used.contains(ip)) throw new BerthException.Forbidden("Address already in use");
            return ip;
        }
        Cidr range = n.allocationRange();
        for (long i = 0; i < range.size(); i++) {
            int ip = (int) (range.base() + i);
            if (ip == cidr.base() || ip == cidr.last() || used.contains(ip)) continue;
            return ip;
        }
        throw new BerthException.Forbidden("no available IPv4 addresses on this network's address pools: " + n.name() + " (" + n.id() + ")");
    }

    /**
     * An IPv6 address for a new endpoint on {@code n} (which {@link Network#hasIpv6}): {@code requested} if free,
     * else the first free one of the pool's range.
     */
    BigInteger allocate6(Network n, String requested) {
        Ipv6Pool pool = n.ipv6();
        Set<BigInteger> used = new HashSet<>();
        used.add(Cidr6.ip(pool.gateway()));
        for (ContainerNet cn : store.attachments()) {
            for (Endpoint e : cn.endpoints()) {
                if (e.networkId().equals(n.id()) && e.live() && !e.ip6().isEmpty()) used.add(Cidr6.ip(e.ip6()));
            }
        }
        if (notEmpty(requested)) {
            BigInteger ip = Cidr6.ip(requested);
            if (used.contains(ip)) throw new BerthException.Forbidden("Address already in use");
            return ip;
        }
        Cidr6 subnet = pool.cidr();
        Cidr6 range = pool.allocationRange();
        // only used addresses are skipped (and the subnet address once), so this ends after at most used.size() + 2 steps
        BigInteger end = range.base().add(range.size());
        for (BigInteger ip = range.base(); ip.compareTo(end) < 0; ip = ip.add(BigInteger.ONE)) {
            if (ip.equals(subnet.base()) || used.contains(ip)) continue;
            return ip;
        }
        throw new BerthException.Forbidden("no available IPv6 addresses on this network's address pools: " + n.name() + " (" + n.id() + ")");
    }

    /** Docker's MAC: 02:42 and the four bytes of the address. */
    static String mac(int ip) {
        return String.format("02:42:%02x:%02x:%02x:%02x", ip >>> 24, ip >>> 16 & 255, ip >>> 8 & 255, ip & 255);
    }

    /** The host's IPv4 routes (but the default route), from /proc/net/route. */
    static List<Cidr> hostRoutes() throws IOException {
        List<Cidr> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) continue;
            int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
            int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
            int bits = Integer.bitCount(mask);
            if (bits == 0) continue;
            out.add(new Cidr(dest, bits));
        }
        return out;
    }

    static boolean notEmpty(String s) { return s != null && !s.isEmpty(); }
}
