package io.berth.api.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A network as {@code GET /networks} and {@code GET /networks/{id}} show it, in Docker's field
 * names and order. {@code containers} is empty in the list; {@code labels} keeps the record's order.
 */
public record NetworkResource(
        String name,
        String id,
        String created,
        String scope,
        String driver,
        @JsonProperty("EnableIPv4") boolean enableIpv4,
        @JsonProperty("EnableIPv6") boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        boolean internal,
        boolean attachable,
        boolean ingress,
        ConfigFrom configFrom,
        boolean configOnly,
        Map<String, Endpoint> containers,
        Map<String, String> options,
        Map<String, String> labels) {

    /** {@code IPAM}: {@code options} as the network was created with (null for the built-in networks and when none were given). */
    public record Ipam(String driver, Map<String, String> options, List<Pool> config) {}

    /** One pool of {@code IPAM.Config}; {@code IPRange} only when one was asked for, {@code AuxiliaryAddresses} when any. */
    public record Pool(String subnet,
                       @JsonProperty("IPRange") @JsonInclude(JsonInclude.Include.NON_NULL) String ipRange,
                       String gateway,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> auxiliaryAddresses) {}

    /** {@code ConfigFrom}: the config-only network this one was made from ("" for none). */
    public record ConfigFrom(String network) {}

    /** One attached container in {@code Containers}, keyed by its ID. */
    public record Endpoint(String name,
                           @JsonProperty("EndpointID") String endpointId,
                           String macAddress,
                           @JsonProperty("IPv4Address") String ipv4Address,
                           @JsonProperty("IPv6Address") String ipv6Address) {}
}
