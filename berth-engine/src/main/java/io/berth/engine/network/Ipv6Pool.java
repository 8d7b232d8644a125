package io.berth.engine.network;

/**
 * A network's IPv6 pool, as recorded: the subnet, its gateway (given, or the subnet's first address as
 * moby's default IPAM gives it) and the range endpoints' addresses come from ("" for the whole subnet).
 */
public record Ipv6Pool(String subnet, String gateway, String ipRange) {
    public Ipv6Pool {
        ipRange = ipRange == null ? "" : ipRange;
    }

    Cidr6 cidr() { return Cidr6.parse(subnet); }

    Cidr6 allocationRange() { return ipRange.isEmpty() ? cidr() : Cidr6.parse(ipRange); }
}
