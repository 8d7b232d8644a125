package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import io.berth.engine.container.Container;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Published ports: binds each mapping's host port through the userland {@link PortProxy} (all of a
 * container's or none) and closes them when the container's network goes down. The DNAT rules for
 * the same mappings are the {@link Firewall}'s.
 */
final class PortPublisher implements AutoCloseable {
    private final Map<String, List<PortProxy.Listener>> proxies = new HashMap<>();

    /** Opens the ports the container asks for (PortBindings, -P) on its primary endpoint; returns them as bound. */
    synchronized List<PortMapping> publish(Container c, ContainerNet cn) throws IOException {
        var want = PortSpecs.wanted(c.hostConfig(), c.config());
        if (want.isEmpty()) return List.of();
        Endpoint primary = cn.primary();
        if (primary == null) return List.of();
        return open(cn.containerId(), PortSpecs.requests(want, primary.ip()));
    }

    /** Opens a running container's ports again (daemon restart: the proxies live in berthd). */
    synchronized List<PortMapping> reopen(ContainerNet cn) throws IOException {
        return open(cn.containerId(), cn.ports().stream().map(PortRequest::of).toList());
    }

    /** Binds every request's host port (trying a range in order; 0 = ephemeral); all or nothing. */
    private List<PortMapping> open(String containerId, List<PortRequest> requests) throws IOException {
        List<PortProxy.Listener> opened = new ArrayList<>();
        List<PortMapping> bound = new ArrayList<>();
        try {
            for (PortRequest m : requests) {
                int from = m.firstHostPort();
                int to = m.lastHostPort();
                InetSocketAddress target = new InetSocketAddress(m.containerIp(), m.containerPort());
                PortProxy.Listener l = null;
                IOException last = null;
                for (int p = from; p <= to && l == null; p++) {
                    try {
                        l = PortProxy.open(m.proto(), m.hostIp(), p, target);
                    } catch (IOException e) {
                        last = e;
                    }
                }
                if (l == null) {
                    String port = from == to ? Integer.toString(from) : from + "-" + to;
                    throw new BerthException.SystemError("driver failed programming external connectivity on endpoint "
                            + "(" + containerId.substring(0, 12) + "): Bind for " + m.hostIp() + ":" + port
                            + " failed: port is already allocated", last);
                }
                opened.add(l);
                bound.add(new PortMapping(m.proto(), m.containerPort(), m.hostIp(), l.port(), m.containerIp()));
            }
        } catch (RuntimeException e) {
            opened.forEach(PortProxy.Listener::close);
            throw e;
        }
        proxies.put(containerId, opened);
        return bound;
    }

    /** Closes a container's ports. */
    synchronized void release(String containerId) {
        List<PortProxy.Listener> ls = proxies.remove(containerId);
        if (ls != null) ls.forEach(PortProxy.Listener::close);
    }

    @Override public synchronized void close() {
        for (List<PortProxy.Listener> l : proxies.values()) l.forEach(PortProxy.Listener::close);
        proxies.clear();
    }
}
