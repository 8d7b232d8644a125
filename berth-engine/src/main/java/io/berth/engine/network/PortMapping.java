package io.berth.engine.network;

/** One published port: {@code hostIp:hostPort} → {@code containerIp:containerPort} for {@code proto} (tcp or udp). */
public record PortMapping(String proto, int containerPort, String hostIp, int hostPort, String containerIp) {
    String key() { return containerPort + "/" + proto; }
}
