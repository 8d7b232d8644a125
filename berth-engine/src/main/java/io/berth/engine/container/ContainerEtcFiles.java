package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.engine.content.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The only writer of a container's {@code hostname}, {@code hosts} and {@code resolv.conf} (bound
 * into it at start): written at create from the container's configuration, rewritten by networking
 * (through {@link EtcFiles}) with the container's address and name servers when its network is up.
 */
public final class ContainerEtcFiles implements EtcFiles {
    private final ContainerFiles paths;

    public ContainerEtcFiles(ContainerFiles paths) { this.paths = paths; }

    /** At create: the host's hosts file for {@code --network host}, a private one otherwise. */
    public void created(Container c) throws IOException {
        HostConfig hc = c.hostConfig();
        write(c, hc.extraHosts(), List.of(), false, "host".equals(hc.networkMode()));
    }

    @Override public void networkUp(Container c, String address, boolean embeddedDns, List<String> hostEntries) throws IOException {
        HostConfig hc = c.hostConfig();
        List<String> extra = new ArrayList<>(hc.extraHosts() == null ? List.of() : hc.extraHosts());
        extra.add(c.config().hostname() + ":" + address);
        write(c, extra, hostEntries, embeddedDns, false);
    }

    @Override public void resolverChanged(Container c, boolean embeddedDns) throws IOException {
        Files.writeString(paths.resolvConf(c.id()), resolvConf(c.hostConfig(), embeddedDns)); // in place: the file is bind-mounted
    }

    private void write(Container c, List<String> extraHosts, List<String> hostEntries, boolean embeddedDns, boolean hostNetwork)
            throws IOException {
        String id = c.id();
        HostConfig hc = c.hostConfig();
        boolean durable = c.durable();
        AtomicFiles.write(paths.hostname(id), (c.config().hostname() + "\n").getBytes(StandardCharsets.UTF_8), durable);
        StringBuilder hosts = new StringBuilder();
        if (hostNetwork && Files.isReadable(Path.of("/etc/hosts"))) {
            hosts.append(Files.readString(Path.of("/etc/hosts")));
        } else {
            hosts.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n")
                 .append("ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        }
        for (String h : extraHosts == null ? List.<String>of() : extraHosts) {
            int colon = h.indexOf(':');
            if (colon > 0) hosts.append(h.substring(colon + 1)).append('\t').append(h, 0, colon).append('\n');
        }
        for (String line : hostEntries) hosts.append(line).append('\n');
        AtomicFiles.write(paths.hosts(id), hosts.toString().getBytes(StandardCharsets.UTF_8), durable);
        AtomicFiles.write(paths.resolvConf(id), resolvConf(hc, embeddedDns).getBytes(StandardCharsets.UTF_8), durable);
    }

    private static String resolvConf(HostConfig hc, boolean embeddedDns) throws IOException {
        Path host = Path.of("/etc/resolv.conf");
        String text = Files.isReadable(host) ? Files.readString(host) : "";
        return ResolvConf.render(text, hc.dns(), hc.dnsSearch(), hc.dnsOptions(), embeddedDns);
    }
}
