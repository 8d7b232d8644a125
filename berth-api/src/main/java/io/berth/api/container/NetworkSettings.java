package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code NetworkSettings} of container inspect, in Docker's field names and order: the sandbox, the
 * published ports (a port exposed but not published maps to null) and the primary endpoint's
 * addresses, then every attachment by network name.
 */
public record NetworkSettings(
        String bridge,
        @JsonProperty("SandboxID") String sandboxId,
        String sandboxKey,
        Map<String, List<PortBinding>> ports,
        boolean hairpinMode,
        @JsonProperty("LinkLocalIPv6Address") String linkLocalIpv6Address,
        @JsonProperty("LinkLocalIPv6PrefixLen") int linkLocalIpv6PrefixLen,
        @JsonProperty("SecondaryIPAddresses") List<String> secondaryIpAddresses,
        @JsonProperty("SecondaryIPv6Addresses") List<String> secondaryIpv6Addresses,
        @JsonProperty("EndpointID") String endpointId,
        String gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") int globalIpv6PrefixLen,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") int ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        String macAddress,
        Map<String, EndpointSettings> networks) {}
