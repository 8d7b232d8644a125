package io.berth.engine.network;

import java.util.List;
import java.util.Map;

/**
 * A container's attachment to one network. The requested part ({@code aliases}, {@code requestedIp},
 * {@code requestedMac}, {@code links}: {@code name:alias} entries, DNS aliases on this network, {@code linkLocalIps},
 * {@code driverOpts}, {@code requestedIp6}) lives as long as the attachment; the live part ({@code endpointId}, {@code ip},
 * {@code mac}, {@code hostVeth}, {@code ifName}, {@code ip6}: "" on a network without IPv6) only while the container runs.
 * Records written before IPv6 load with both IPv6 fields empty.
 */
public record Endpoint(String networkId, List<String> aliases, String requestedIp, String requestedMac,
                       String endpointId, String ip, String mac, String hostVeth, String ifName, List<String> links,
                       List<String> linkLocalIps, Map<String, String> driverOpts, String requestedIp6, String ip6) {
    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
        linkLocalIps = linkLocalIps == null ? List.of() : List.copyOf(linkLocalIps);
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
        requestedIp6 = requestedIp6 == null ? "" : requestedIp6;
        ip6 = ip6 == null ? "" : ip6;
    }

    static Endpoint requested(String networkId, List<String> aliases, List<String> links, String ip, String mac) {
        return requested(networkId, aliases, links, ip, mac, List.of(), Map.of(), "");
    }

    static Endpoint requested(String networkId, List<String> aliases, List<String> links, String ip, String mac,
                              List<String> linkLocalIps, Map<String, String> driverOpts, String ip6) {
        return new Endpoint(networkId, aliases, ip == null ? "" : ip, mac == null ? "" : mac, "", "", "", "", "", links,
                linkLocalIps, driverOpts, ip6, "");
    }

    boolean live() { return ip != null && !ip.isEmpty(); }

    Endpoint down() { return up("", "", "", "", "", ""); }

    Endpoint up(String epId, String addr, String macAddr, String veth, String ifn) { return up(epId, addr, macAddr, veth, ifn, ""); }

    /** The live endpoint, with its IPv6 address {@code addr6} ("" for none). */
    Endpoint up(String epId, String addr, String macAddr, String veth, String ifn, String addr6) {
        return new Endpoint(networkId, aliases, requestedIp, requestedMac, epId, addr, macAddr, veth, ifn, links, linkLocalIps,
                driverOpts, requestedIp6, addr6);
    }
}
