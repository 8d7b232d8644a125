package io.berth.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A network's persistent record. {@code subnet}/{@code gateway}/{@code ipRange} are empty for
 * {@code host} and {@code none}; {@code bridge} is the Linux bridge of a bridge network.
 * {@code auxAddresses} are the pool's reserved addresses ({@code --aux-address}, never given to an endpoint);
 * {@code ipamOptions} are the request's {@code IPAM.Options} as given (null when it had none, as moby shows them).
 * {@code ipv6} is the IPv6 pool (null for none: also in records written before IPv6), which endpoints get
 * addresses from only when {@code enableIpv6} (as moby keeps, but does not use, a v6 pool of a network without it).
 */
public record Network(String id, String name, String driver, String created, String subnet, String gateway, String ipRange,
                      boolean internal, boolean attachable, boolean builtin, Map<String, String> labels,
                      Map<String, String> options, @JsonProperty("bridge") String bridge, int mtu,
                      Map<String, String> auxAddresses, Map<String, String> ipamOptions,
                      @JsonProperty("enableIpv6") boolean enableIpv6, Ipv6Pool ipv6) {
    private static final String BRIDGE_NAME = "com.docker.network.bridge.name";

    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        ipamOptions = ipamOptions == null ? null : Map.copyOf(ipamOptions);
        if ("bridge".equals(driver) && ("true".equals(bridge) || "false".equals(bridge))) {
            // records written while isBridge() was serialized over the bridge's name
            bridge = options.getOrDefault(BRIDGE_NAME, "br-" + id.substring(0, 12));
        }
    }

    /** Whether the bridge driver serves it (not a JSON property: {@code bridge} is the Linux bridge's name). */
    @JsonIgnore
    public boolean isBridge() { return "bridge".equals(driver); }

    /** The default network: `docker run` without --network. */
    @JsonIgnore
    public boolean isDefaultBridge() { return builtin && isBridge(); }

    Cidr cidr() { return Cidr.parse(subnet); }

    Cidr allocationRange() { return ipRange == null || ipRange.isEmpty() ? cidr() : Cidr.parse(ipRange); }

    /** Whether endpoints get IPv6 addresses here. */
    @JsonIgnore
    public boolean hasIpv6() { return enableIpv6 && ipv6 != null; }

    Network withSubnet(String s, String gw) {
        return new Network(id, name, driver, created, s, gw, "", internal, attachable, builtin, labels, options, bridge, mtu,
                Map.of(), ipamOptions, enableIpv6, ipv6);
    }
}
