package io.berth.engine.network;

import java.util.List;
import java.util.Map;

/**
 * A container's attachment to one network. The requested part ({@code aliases}, {@code requestedIp},
 * {@code requestedMac}, {@code links}: {@code name:alias} entries, DNS aliases on this network, {@code linkLocalIps},
 * {@code driverOpts}) lives as long as the attachment; the live part ({@code endpointId}, {@code ip}, {@code mac},
 * {@code hostVeth}, {@code ifName}) only while the container runs.
 */
public record Endpoint(String networkId, List<String> aliases, String requestedIp, String requestedMac,
                       String endpointId, String ip, String mac, String hostVeth, String ifName, List<String> links,
                       List<String> linkLocalIps, Map<String, String> driverOpts) {
    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
        linkLocalIps = linkLocalIps == null ? List.of() : List.copyOf(linkLocalIps);
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
    }

    static Endpoint requested(String networkId, List<String> aliases, List<String> links, String ip, String mac) {
        return requested(networkId, aliases, links, ip, mac, List.of(), Map.of());
    }

    static Endpoint requested(String networkId, List<String> aliases, List<String> links, String ip, String mac,
                              List<String> linkLocalIps, Map<String, String> driverOpts) {
        return new Endpoint(networkId, aliases, ip == null ? "" : ip, mac == null ? "" : mac, "", "", "", "", "", links,
                linkLocalIps, driverOpts);
    }

    boolean live() { return ip != null && !ip.isEmpty(); }

    Endpoint down() { return up("", "", "", "", ""); }

    Endpoint up(String epId, String addr, String macAddr, String veth, String ifn) {
        return new Endpoint(networkId, aliases, requestedIp, requestedMac, epId, addr, macAddr, veth, ifn, links, linkLocalIps,
                driverOpts);
    }
}
