package io.berth.engine.network;

/**
 * A port to publish before it is bound: {@code hostIp}, the host ports to try in order ({@code firstHostPort} to
 * {@code lastHostPort}; both 0 for an ephemeral port) → {@code containerIp:containerPort} for {@code proto}.
 * Binding it yields a {@link PortMapping} with the one host port taken.
 */
record PortRequest(String proto, int containerPort, String hostIp, int firstHostPort, int lastHostPort, String containerIp) {
    /** A mapping bound before (a daemon restart reopens it): its own host port and no other. */
    static PortRequest of(PortMapping bound) {
        return new PortRequest(bound.proto(), bound.containerPort(), bound.hostIp(), bound.hostPort(), bound.hostPort(),
                bound.containerIp());
    }
}
