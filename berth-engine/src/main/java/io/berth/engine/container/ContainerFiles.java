package io.berth.engine.container;

import io.berth.engine.content.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files berthd manages for a container and binds into it: hostname, hosts, resolv.conf. */
public final class ContainerFiles {
    private final Path containersData;

    public ContainerFiles(Path containersData) { this.containersData = containersData; }

    public Path hostname(String id) { return containersData.resolve(id).resolve("hostname"); }

    public Path hosts(String id) { return containersData.resolve(id).resolve("hosts"); }

    public Path resolvConf(String id) { return containersData.resolve(id).resolve("resolv.conf"); }

    public Path log(String id) { return containersData.resolve(id).resolve("container.log"); }

    /** Writes the three files for a container on a private network namespace (or the host's, for {@code host}). */
    public void write(String id, String hostname, String domainname, List<String> extraHosts, List<String> dns,
                      List<String> dnsSearch, List<String> dnsOptions, boolean hostNetwork) throws IOException {
        AtomicFiles.write(hostname(id), (hostname + "\n").getBytes(StandardCharsets.UTF_8));
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
        AtomicFiles.write(hosts(id), hosts.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(resolvConf(id), resolvConf(dns, dnsSearch, dnsOptions).getBytes(StandardCharsets.UTF_8));
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
