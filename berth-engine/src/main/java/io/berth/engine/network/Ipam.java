package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import io.berth.api.network.NetworkCreateRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Docker's default IPAM for IPv4: a network's pool (asked for, or the first free default one that
 * overlaps no host route and no other network), and a container's address in it (asked for with
 * {@code --ip}, or the first free one of the pool or its {@code --ip-range}; never the network
 * address, the broadcast address or the gateway). An address is in use while an endpoint holding
 * it is live, so tearing an endpoint down releases it.
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

    /** The pool of a new network from the request's {@code IPAM.Config} (at most one IPv4 pool). */
    Pool pool(List<NetworkCreateRequest.IpamConfig> pools) {
        if (pools.size() > 1) throw new BerthException.NotImplemented("only one IPv4 pool per network is supported");
        String gateway = "";
        String ipRange = "";
        Map<String, String> aux = new TreeMap<>();
        try {
            Cidr c;
            if (!pools.isEmpty() && notEmpty(pools.getFirst().subnet())) {
                NetworkCreateRequest.IpamConfig p = pools.getFirst();
                if (p.subnet().contains(":")) throw new BerthException.NotImplemented("IPv6 networks are not supported");
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
