package io.berth.engine.network;

import io.berth.api.container.HostConfig;
import io.berth.api.container.PortBinding;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's port specifications as the API carries them: the {@code 80/tcp} keys of
 * {@code ExposedPorts} and {@code PortBindings}, and the bindings ({@code -p [ip:][hostPort[-end]:]port[/proto]},
 * {@code -P}) turned into the mappings to publish. Pure functions: no sockets, no root.
 */
final class PortSpecs {
    private PortSpecs() {}

    /** A port key: the port as written and its protocol ({@code tcp} when none). */
    record PortKey(String port, String proto) {
        String key() { return port + "/" + proto; }

        int number() { return Integer.parseInt(port); }
    }

    /** Parses {@code 80}, {@code 80/tcp}, {@code 53/udp} or {@code 9/sctp}; Docker's errors otherwise. */
    static PortKey parse(String key) {
        int slash = key.indexOf('/');
        String port = slash < 0 ? key : key.substring(0, slash);
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase();
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new BerthException.InvalidArgument("invalid proto: " + proto);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new BerthException.InvalidArgument("invalid port specification: \"" + port + "\"");
        }
        return new PortKey(port, proto);
    }

    /** The bindings asked for: PortBindings (no binding = an ephemeral port), plus every exposed port on an ephemeral one with -P. */
    static Map<String, List<PortBinding>> wanted(HostConfig hc, ContainerConfig config) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        if (hc.portBindings() != null) {
            for (var e : hc.portBindings().entrySet()) {
                out.put(parse(e.getKey()).key(), e.getValue() == null || e.getValue().isEmpty() ? List.of(new PortBinding("", "")) : e.getValue());
            }
        }
        if (Boolean.TRUE.equals(hc.publishAllPorts()) && config.exposedPorts() != null) {
            for (String k : config.exposedPorts().keySet()) out.putIfAbsent(parse(k).key(), List.of(new PortBinding("", "")));
        }
        return out;
    }

    /**
     * The ports to publish to {@code containerIp} for the wanted bindings: sctp and IPv6 host addresses
     * are skipped (an IPv4-only userland proxy), an empty host address is {@code 0.0.0.0}, an empty host port
     * is an ephemeral one (0 to 0), {@code 8000-8010} the first free port of the range.
     */
    static List<PortRequest> requests(Map<String, List<PortBinding>> wanted, String containerIp) {
        List<PortRequest> out = new ArrayList<>();
        for (var e : wanted.entrySet()) {
            PortKey pk = parse(e.getKey());
            if (pk.proto().equals("sctp")) continue;
            for (PortBinding b : e.getValue()) {
                String hostIp = b.hostIp() == null ? "" : b.hostIp();
                if (hostIp.contains(":")) continue; // IPv6 bindings: not supported, skipped as on an IPv4-only host
                String hp = b.hostPort() == null ? "" : b.hostPort();
                int from = 0;
                int to = 0;
                if (!hp.isEmpty()) {
                    int dash = hp.indexOf('-');
                    from = hostPort(dash < 0 ? hp : hp.substring(0, dash), hp);
                    to = dash < 0 ? from : hostPort(hp.substring(dash + 1), hp);
                    if (to < from) throw invalidHostPort(hp);
                }
                out.add(new PortRequest(pk.proto(), pk.number(), hostIp.isEmpty() ? "0.0.0.0" : hostIp, from, to, containerIp));
            }
        }
        return out;
    }

    /** One end of a host port or range: 0 to 65535, as Go's {@code strconv.ParseUint(s, 10, 16)} reads it. */
    private static int hostPort(String s, String whole) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) throw invalidHostPort(whole);
        int p = Integer.parseInt(s);
        if (p > 65535) throw invalidHostPort(whole);
        return p;
    }

    private static BerthException invalidHostPort(String hp) {
        return new BerthException.InvalidArgument("invalid port specification: \"" + hp + "\"");
    }
}
