package io.berth.api.network;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /networks/create}. */
public record NetworkCreateRequest(String name, Boolean checkDuplicate, String driver, String scope, Boolean internal,
                                   Boolean attachable, Boolean ingress, Ipam ipam, Boolean enableIpv6,
                                   Map<String, String> options, Map<String, String> labels) {

    /** {@code IPAM}: driver, pools, options. */
    public record Ipam(String driver, List<IpamConfig> config, Map<String, String> options) {}

    /** One pool of {@code IPAM.Config}. */
    public record IpamConfig(String subnet, String ipRange, String gateway, Map<String, String> auxiliaryAddresses) {}
}
