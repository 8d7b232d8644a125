package io.berth.engine.container;

import java.util.ArrayList;
import java.util.List;

/**
 * A container's {@code /etc/resolv.conf}, rendered as Docker renders it from the host's file and the
 * container's {@code --dns}, {@code --dns-search} and {@code --dns-option}. With the embedded DNS
 * (a container on a user-defined network) the only name server is 127.0.0.11, the host's or the
 * given servers being where that resolver forwards, and {@code ndots:0} is added unless an ndots
 * option is given; otherwise the host's servers without loopback ones (Google's when none is left).
 */
public final class ResolvConf {
    /** The embedded DNS server's address inside a container's network namespace. */
    public static final String EMBEDDED_DNS = "127.0.0.11";
    private static final List<String> DOCKER_FALLBACK = List.of("8.8.8.8", "8.8.4.4");

    private ResolvConf() {}

    /** The file for a container, from the host's resolv.conf text (empty when unreadable). */
    public static String render(String hostFile, List<String> dns, List<String> search, List<String> options, boolean embedded) {
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> opts = new ArrayList<>();
        for (String line : hostFile.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#") || f[0].startsWith(";")) continue;
            switch (f[0]) {
                case "nameserver" -> { if (!f[1].startsWith("127.") && !f[1].equals("::1")) servers.add(f[1]); }
                case "search", "domain" -> { searches.clear(); for (int i = 1; i < f.length; i++) searches.add(f[i]); }
                case "options" -> { for (int i = 1; i < f.length; i++) opts.add(f[i]); }
                default -> { }
            }
        }
        if (dns != null && !dns.isEmpty()) servers = dns;
        if (search != null && !search.isEmpty()) searches = search.equals(List.of(".")) ? List.of() : search;
        if (options != null && !options.isEmpty()) opts = new ArrayList<>(options);
        if (embedded) {
            servers = List.of(EMBEDDED_DNS);
            if (opts.stream().noneMatch(o -> o.startsWith("ndots:"))) opts.add("ndots:0");
        } else if (servers.isEmpty()) {
            servers = DOCKER_FALLBACK;
        }
        StringBuilder out = new StringBuilder();
        for (String s : servers) out.append("nameserver ").append(s).append('\n');
        if (!searches.isEmpty()) out.append("search ").append(String.join(" ", searches)).append('\n');
        if (!opts.isEmpty()) out.append("options ").append(String.join(" ", opts)).append('\n');
        return out.toString();
    }
}
