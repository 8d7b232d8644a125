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
        write(c, hc.extraHosts(), hc.dns(), "host".equals(hc.networkMode()));
    }

    @Override public void networkUp(Container c, String address, List<String> nameServers) throws IOException {
        HostConfig hc = c.hostConfig();
        List<String> extra = new ArrayList<>(hc.extraHosts() == null ? List.of() : hc.extraHosts());
        extra.add(c.config().hostname() + ":" + address);
        write(c, extra, nameServers != null ? nameServers : hc.dns(), false);
    }

    private void write(Container c, List<String> extraHosts, List<String> dns, boolean hostNetwork) throws IOException {
        String id = c.id();
        HostConfig hc = c.hostConfig();
        AtomicFiles.write(paths.hostname(id), (c.config().hostname() + "\n").getBytes(StandardCharsets.UTF_8));
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
        AtomicFiles.write(paths.hosts(id), hosts.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(paths.resolvConf(id), resolvConf(dns, hc.dnsSearch(), hc.dnsOptions()).getBytes(StandardCharsets.UTF_8));
    }

    /** The host's resolv.conf without loopback name servers, overridden by --dns/--dns-search/--dns-option. */
    static String resolvConf(List<String> dns, List<String> search, List<String> options) throws IOException {
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> opts = new ArrayList<>();
        Path host = Path.of("/etc/resolv.conf");
        if (Files.isReadable(host)) {
            for (String line : Files.readAllLines(host)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || f[0].startsWith("#")) continue;
                switch (f[0]) {
                    case "nameserver" -> { if (!f[1].startsWith("127.") && !f[1].equals("::1")) servers.add(f[1]); }
                    case "search", "domain" -> { for (int i = 1; i < f.length; i++) searches.add(f[i]); }
                    case "options" -> { for (int i = 1; i < f.length; i++) opts.add(f[i]); }
                    default -> { }
                }
            }
        }
        if (dns != null && !dns.isEmpty()) servers = dns;
        if (search != null && !search.isEmpty()) searches = search.equals(List.of(".")) ? List.of() : search;
        if (options != null && !options.isEmpty()) opts = options;
        if (servers.isEmpty()) servers = List.of("8.8.8.8", "8.8.4.4"); // what Docker falls back to
        StringBuilder out = new StringBuilder();
        for (String s : servers) out.append("nameserver ").append(s).append('\n');
        if (!searches.isEmpty()) out.append("search ").append(String.join(" ", searches)).append('\n');
        if (!opts.isEmpty()) out.append("options ").append(String.join(" ", opts)).append('\n');
        return out.toString();
    }
}
