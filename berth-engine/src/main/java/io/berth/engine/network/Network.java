package io.berth.engine.network;

import java.util.Map;

/**
 * A network's persistent record. {@code subnet}/{@code gateway}/{@code ipRange} are empty for
 * {@code host} and {@code none}; {@code bridge} is the Linux bridge of a bridge network.
 * {@code auxAddresses} are the pool's reserved addresses ({@code --aux-address}, never given to an endpoint);
 * {@code ipamOptions} are the request's {@code IPAM.Options} as given (null when it had none, as moby shows them).
 */
public record Network(String id, String name, String driver, String created, String subnet, String gateway, String ipRange,
                      boolean internal, boolean attachable, boolean builtin, Map<String, String> labels,
                      Map<String, String> options, String bridge, int mtu, Map<String, String> auxAddresses,
                      Map<String, String> ipamOptions) {
    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        ipamOptions = ipamOptions == null ? null : Map.copyOf(ipamOptions);
    }

    public boolean isBridge() { return "bridge".equals(driver); }

    /** The default network: `docker run` without --network. */
    public boolean isDefaultBridge() { return builtin && isBridge(); }

    Cidr cidr() { return Cidr.parse(subnet); }

    Cidr allocationRange() { return ipRange == null || ipRange.isEmpty() ? cidr() : Cidr.parse(ipRange); }

    Network withSubnet(String s, String gw) {
        return new Network(id, name, driver, created, s, gw, "", internal, attachable, builtin, labels, options, bridge, mtu,
                Map.of(), ipamOptions);
    }
}
