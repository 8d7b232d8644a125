package io.berth.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/** Where the daemon listens: {@code unix:///path} or {@code tcp://host:port}. */
public record DaemonHost(String uri, SocketAddress address, String hostHeader) {
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    /** Selection order: explicit {@code -H}, then BERTH_HOST, then DOCKER_HOST, then the default socket. */
    public static DaemonHost select(String explicit, Map<String, String> env) {
        String h = explicit;
        if (h == null || h.isBlank()) h = env.get("BERTH_HOST");
        if (h == null || h.isBlank()) h = env.get("DOCKER_HOST");
        if (h == null || h.isBlank()) h = DEFAULT;
        return parse(h);
    }

    public static DaemonHost parse(String h) {
        String s = h.trim();
        if (s.startsWith("unix://")) {
            String path = s.substring("unix://".length());
            if (path.isEmpty()) throw new IllegalArgumentException("invalid host: " + h);
            return new DaemonHost(s, UnixDomainSocketAddress.of(Path.of(path)), "api.moby.localhost");
        }
        if (s.startsWith("tcp://") || s.startsWith("http://")) {
            String rest = s.substring(s.indexOf("://") + 3);
            int slash = rest.indexOf('/');
            if (slash >= 0) rest = rest.substring(0, slash);
            String host = rest;
            int port = 2375;
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && !rest.endsWith("]")) {
                host = rest.substring(0, colon);
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid host: " + h);
                }
            }
            if (host.isEmpty()) host = "127.0.0.1";
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            return new DaemonHost("tcp://" + rest, InetSocketAddress.createUnresolved(host, port), rest);
        }
        if (s.startsWith("/")) return parse("unix://" + s);
        throw new IllegalArgumentException("unable to parse docker host `" + h + "`");
    }

    public boolean isUnix() { return address instanceof UnixDomainSocketAddress; }
}
