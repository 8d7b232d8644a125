package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One network attachment in {@code NetworkingConfig.EndpointsConfig} (and in inspect's {@code NetworkSettings.Networks}).
 * {@code GwPriority} is left out when null; in {@code IPAMConfig} so are the IPv6 address and link-local addresses.
 */
public record EndpointSettings(
        @JsonProperty("IPAMConfig") IpamConfig ipamConfig,
        @JsonProperty("Links") List<String> links,
        @JsonProperty("Aliases") List<String> aliases,
        @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("DriverOpts") Map<String, String> driverOpts,
        @JsonProperty("GwPriority") @JsonInclude(JsonInclude.Include.NON_NULL) Integer gwPriority,
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
        @JsonProperty("DNSNames") List<String> dnsNames) {

    /** Only a MAC address. */
    public static EndpointSettings withMac(String mac) {
        return new EndpointSettings(null, null, null, mac, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy with another MAC address. */
    public EndpointSettings withMacAddress(String mac) {
        return new EndpointSettings(ipamConfig, links, aliases, mac, driverOpts, gwPriority, networkId, endpointId, gateway,
                ipAddress, ipPrefixLen, ipv6Gateway, globalIpv6Address, globalIpv6PrefixLen, dnsNames);
    }

    /** Static addresses asked for ({@code --ip}, {@code --ip6}, {@code --link-local-ip}). */
    public record IpamConfig(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") @JsonInclude(JsonInclude.Include.NON_NULL) String ipv6Address,
            @JsonProperty("LinkLocalIPs") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> linkLocalIps) {

        /** Only an IPv4 address ({@code --ip}). */
        public static IpamConfig ipv4(String address) { return new IpamConfig(address, null, null); }
    }
}
