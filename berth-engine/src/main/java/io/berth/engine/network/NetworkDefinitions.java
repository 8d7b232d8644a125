package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import io.berth.api.network.NetworkCreateRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes network records: a user-defined bridge from a create request (validated as Docker does,
 * its pool from {@link Ipam}) and the built-in {@code bridge}, {@code host} and {@code none} from the
 * daemon's options. Makes nothing on the host.
 */
final class NetworkDefinitions {
    private final NetworkStore store;
    private final Ipam ipam;
    private final String bridgeName;
    private final String bip;

    /** {@code bridgeName} and {@code bip} are the default bridge's ({@code --bridge}, {@code --bip}, may be null). */
    NetworkDefinitions(NetworkStore store, Ipam ipam, String bridgeName, String bip) {
        this.store = store;
        this.ipam = ipam;
        this.bridgeName = bridgeName;
        this.bip = bip;
    }

    /** The record of a new user-defined network. */
    Network fromRequest(NetworkCreateRequest req) {
        String name = req.name() == null ? "" : req.name().strip();
        if (name.isEmpty()) throw new BerthException.InvalidArgument("network name must not be empty"); // not Docker's wording exactly
        if (store.byName(name) != null) throw new BerthException.Conflict("network with name " + name + " already exists");
        String driver = req.driver() == null || req.driver().isEmpty() ? "bridge" : req.driver();
        if (!driver.equals("bridge")) {
            if (driver.equals("host") || driver.equals("null")) {
                throw new BerthException.Forbidden("only one instance of \"" + driver + "\" network is allowed");
            }
            throw new BerthException.NotFound("plugin \"" + driver + "\" not found");
        }
        Map<String, String> opts = req.options() == null ? Map.of() : req.options();
        List<NetworkCreateRequest.IpamConfig> pools = req.ipam() == null || req.ipam().config() == null ? List.of() : req.ipam().config();
        boolean enableIpv6 = Boolean.TRUE.equals(req.enableIpv6());
        Ipam.Pool pool = ipam.pool(pools);
        Ipv6Pool pool6 = ipam.pool6(pools, enableIpv6);
        String id = NetworkStore.newId();
        String bridge = opts.getOrDefault("com.docker.network.bridge.name", "br-" + id.substring(0, 12));
        if (bridge.length() > 15) throw new BerthException.InvalidArgument("bridge name " + bridge + " is longer than 15 characters");
        for (Network n : store.networks()) {
            if (bridge.equals(n.bridge())) throw new BerthException.Forbidden("bridge name " + bridge + " is used by network " + n.name());
        }
        int mtu = 1500;
        if (opts.containsKey("com.docker.network.driver.mtu")) {
            try {
                mtu = Integer.parseInt(opts.get("com.docker.network.driver.mtu"));
            } catch (NumberFormatException e) {
                throw new BerthException.InvalidArgument("invalid MTU " + opts.get("com.docker.network.driver.mtu"));
            }
        }
        return new Network(id, name, "bridge", now(), pool.subnet(), pool.gateway(), pool.ipRange(), Boolean.TRUE.equals(req.internal()),
                Boolean.TRUE.equals(req.attachable()), false, req.labels(), opts, bridge, mtu, pool.auxAddresses(),
                req.ipam() == null ? null : req.ipam().options(), enableIpv6, pool6);
    }

    /**
     * The default bridge as the options want it: {@code --bip}, else the recorded subnet when the
     * bridge name is unchanged, else a free pool. Null when the record {@code existing} already is that.
     */
    Network defaultBridge(Network existing) throws IOException {
        String subnet;
        String gateway;
        if (bip != null && !bip.isEmpty()) {
            int[] hp = Cidr.parseHost(bip);
            subnet = new Cidr(hp[0], hp[1]).toString();
            gateway = Cidr.str(hp[0]);
        } else if (existing != null && !existing.subnet().isEmpty() && existing.bridge().equals(bridgeName)) {
            subnet = existing.subnet();
            gateway = existing.gateway();
        } else {
            Cidr c = ipam.freePool(existing == null ? null : existing.id());
            subnet = c.toString();
            gateway = Cidr.str(c.base() + 1);
        }
        if (existing != null && existing.subnet().equals(subnet) && existing.bridge().equals(bridgeName)) return null;
        Map<String, String> opts = new TreeMap<>();
        opts.put("com.docker.network.bridge.default_bridge", "true");
        opts.put("com.docker.network.bridge.enable_icc", "true");
        opts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        opts.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
        opts.put("com.docker.network.bridge.name", bridgeName);
        opts.put("com.docker.network.driver.mtu", "1500");
        return new Network(existing == null ? NetworkStore.newId() : existing.id(), "bridge", "bridge", now(), subnet, gateway, "",
                false, false, true, Map.of(), opts, bridgeName, 1500, Map.of(), null, false, null);
    }

    /** The default bridge's name ({@code --bridge}). */
    String bridgeName() { return bridgeName; }

    /** The built-in {@code host} ({@code driver} "host") or {@code none} ({@code driver} "null"). */
    static Network builtin(String name, String driver) {
        return new Network(NetworkStore.newId(), name, driver, now(), "", "", "", false, false, true, Map.of(), Map.of(), "", 0, Map.of(), null,
                false, null);
    }

    private static String now() { return Instant.now().toString(); }
}
