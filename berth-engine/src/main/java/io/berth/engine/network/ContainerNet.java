package io.berth.engine.network;

import java.util.List;

/**
 * A container's networking record, persisted beside the networks: its attachments (in order, the
 * first is the primary one), and while it runs its netns file and published ports.
 */
public record ContainerNet(String containerId, String mode, List<Endpoint> endpoints, String netns, List<PortMapping> ports) {
    public ContainerNet {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        ports = ports == null ? List.of() : List.copyOf(ports);
        netns = netns == null ? "" : netns;
    }

    /** The primary attachment: the first live endpoint, or null when none is up. */
    Endpoint primary() { return endpoints.stream().filter(Endpoint::live).findFirst().orElse(null); }

    ContainerNet withEndpoints(List<Endpoint> e) { return new ContainerNet(containerId, mode, e, netns, ports); }

    ContainerNet withNetns(String n) { return new ContainerNet(containerId, mode, endpoints, n, ports); }

    ContainerNet withPorts(List<PortMapping> p) { return new ContainerNet(containerId, mode, endpoints, netns, p); }
}
