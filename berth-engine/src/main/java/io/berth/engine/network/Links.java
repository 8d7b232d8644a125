package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import io.berth.engine.container.LegacyLink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Docker's legacy links ({@code --link name:alias}, {@code HostConfig.Links}) as networking sees them:
 * checked at create as moby's registerLinks; at start on the default bridge, the linked containers'
 * addresses as environment variables and {@code /etc/hosts} lines of the linking container, as moby's
 * setupLinkedContainers and daemon/links. On a user-defined network links are DNS aliases only
 * ({@link ContainerDns}).
 */
final class Links {
    static final String HOST_CONFLICT = "conflicting options: host type networking can't be used with links. "
            + "This would result in undefined behavior";
    static final String CONTAINER_CONFLICT = "conflicting options: container type network can't be used with links. "
            + "This would result in undefined behavior";

    private final NetworkStore store;
    private final ContainerLookup containers;

    Links(NetworkStore store, ContainerLookup containers) {
        this.store = store;
        this.containers = containers;
    }

    /** A link resolved at start: the linked container and its address on the default bridge. */
    record Resolved(LegacyLink link, Container child, String ip) {}

    /** Whether links of a container in {@code mode} are legacy links (the default bridge), rather than DNS aliases. */
    static boolean legacy(String mode) { return mode.equals("default") || mode.equals("bridge"); }

    /** At create: refuses links Docker refuses (bad format, unknown or host-networked container, host/container mode). */
    void validate(Container c, String mode) {
        List<LegacyLink> links = LegacyLink.all(c.hostConfig().links());
        if (links.isEmpty()) return;
        if (mode.equals("host")) throw new BerthException.InvalidArgument(HOST_CONFLICT);
        if (mode.startsWith("container:")) throw new BerthException.InvalidArgument(CONTAINER_CONFLICT);
        if (!legacy(mode)) return;
        for (LegacyLink l : links) {
            Container child = netnsOwner(l.name(), "could not get container for " + l.name() + ": ");
            if ("host".equals(child.hostConfig().networkMode())) throw new BerthException.InvalidArgument(HOST_CONFLICT);
        }
    }

    /** The container whose network {@code ref} uses (following {@code container:} modes); {@code prefix} heads the error. */
    private Container netnsOwner(String ref, String prefix) {
        Container child;
        try {
            child = containers.require(ref);
            String mode = ContainerNetworking.mode(child);
            for (int i = 0; i < 16 && mode.startsWith("container:"); i++) {
                child = containers.require(mode.substring("container:".length()));
                mode = ContainerNetworking.mode(child);
            }
        } catch (BerthException.NotFound e) {
            throw new BerthException.InvalidArgument(prefix + e.getMessage());
        }
        return child;
    }

    /** At start of a container on the default bridge: each link's running container and its bridge address. */
    List<Resolved> resolve(Container c) {
        List<Resolved> out = new ArrayList<>();
        if (!legacy(ContainerNetworking.mode(c))) return out;
        for (LegacyLink l : LegacyLink.all(c.hostConfig().links())) {
            Container child = find(l.name());
            if (child == null || !child.isRunning()) {
                throw new BerthException.SystemError("Cannot link to a non running container: /" + l.name() + " AS "
                        + linkName(c, l), null);
            }
            Container owner = netnsOwner(child.id(), "could not get container for " + l.name() + ": ");
            String ip = bridgeIp(owner.id());
            if (ip == null) throw new BerthException.SystemError("container " + child.id() + " not attached to default bridge network", null);
            out.add(new Resolved(l, child, ip));
        }
        return out;
    }

    private Container find(String ref) {
        try {
            return containers.require(ref);
        } catch (BerthException.NotFound e) {
            return null;
        }
    }

    private String bridgeIp(String containerId) {
        ContainerNet cn = store.attachment(containerId);
        if (cn == null) return null;
        for (Endpoint e : cn.endpoints()) {
            Network n = store.get(e.networkId());
            if (e.live() && n != null && n.isDefaultBridge()) return e.ip();
        }
        return null;
    }

    private static String linkName(Container parent, LegacyLink l) { return "/" + parent.name() + "/" + l.alias(); }

    /** The environment of a container's links, in moby's order. */
    List<String> env(Container c) {
        List<String> out = new ArrayList<>();
        for (Resolved r : resolve(c)) {
            Map<String, Map<String, Object>> exposed = r.child().config().exposedPorts();
            out.addAll(envVars(linkName(c, r.link()), r.ip(), r.child().config().env(), exposed == null ? List.of() : exposed.keySet()));
        }
        return out;
    }

    /** The {@code /etc/hosts} lines of a container's links: {@code IP\talias hostname [name]}, as moby's buildSandboxOptions. */
    List<String> hostEntries(Container c) {
        List<String> out = new ArrayList<>();
        for (Resolved r : resolve(c)) {
            String names = r.link().alias() + " " + r.child().config().hostname();
            if (!r.link().alias().equals(r.child().name())) names += " " + r.child().name();
            out.add(r.ip() + "\t" + names);
        }
        return out;
    }

    /** A port key ({@code 80/tcp}) as number and protocol. */
    private record Port(int num, String proto) {
        static Port parse(String key) {
            int slash = key.indexOf('/');
            return slash < 0 ? new Port(Integer.parseInt(key), "tcp")
                    : new Port(Integer.parseInt(key.substring(0, slash)), key.substring(slash + 1).toLowerCase(Locale.ROOT));
        }

        String prefix(String alias) { return alias + "_PORT_" + num + "_" + proto.toUpperCase(Locale.ROOT); }

        String url(String ip) { return proto + "://" + ip + ":" + num; }
    }

    /** TCP first, then by protocol; by number within one protocol (moby's withTCPPriority). */
    private static final Comparator<Port> TCP_FIRST = (a, b) -> {
        if (a.proto().equals(b.proto())) return Integer.compare(a.num(), b.num());
        if (a.proto().equals("tcp")) return -1;
        if (b.proto().equals("tcp")) return 1;
        return a.proto().compareTo(b.proto());
    };

    /**
     * The variables moby's links.EnvVars gives for the link named {@code name} ({@code /parent/alias}) to a
     * container at {@code ip} with {@code env} and {@code exposedPorts}: ALIAS_PORT, ALIAS_PORT_n_PROTO[_ADDR|_PORT|_PROTO],
     * _START/_END for runs of consecutive ports, ALIAS_NAME and ALIAS_ENV_x (but HOME and PATH).
     */
    static List<String> envVars(String name, String ip, List<String> env, java.util.Collection<String> exposedPorts) {
        String alias = name.substring(name.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT).replace('-', '_');
        List<Port> ports = new ArrayList<>();
        for (String k : exposedPorts) ports.add(Port.parse(k));
        ports.sort(TCP_FIRST);
        List<String> out = new ArrayList<>();
        Port start = null;
        Port end = null;
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            if (i == 0) {
                start = p;
                end = p;
                out.add(alias + "_PORT=" + p.url(ip));
            }
            String prefix = p.prefix(alias);
            out.add(prefix + "=" + p.url(ip));
            out.add(prefix + "_ADDR=" + ip);
            out.add(prefix + "_PORT=" + p.num());
            out.add(prefix + "_PROTO=" + p.proto());
            if (p.num() == end.num() + 1 && p.proto().equals(end.proto())) {
                end = p;
                if (i < ports.size() - 1) continue;
            }
            if (!end.equals(start)) {
                String range = start.prefix(alias);
                out.add(range + "_START=" + start.url(ip));
                out.add(range + "_PORT_START=" + start.num());
                out.add(range + "_END=" + end.url(ip));
                out.add(range + "_PORT_END=" + end.num());
            }
            start = p;
            end = p;
        }
        out.add(alias + "_NAME=" + name);
        for (String v : env == null ? List.<String>of() : env) {
            int eq = v.indexOf('=');
            if (eq < 0) continue;
            String key = v.substring(0, eq);
            if (key.equals("HOME") || key.equals("PATH")) continue;
            out.add(alias + "_ENV_" + key + "=" + v.substring(eq + 1));
        }
        return out;
    }
}
