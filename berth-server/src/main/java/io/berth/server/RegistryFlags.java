package io.berth.server;

import io.berth.engine.distribution.RegistryOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * berthd's registry settings from the merged flags and daemon.json, validated with dockerd's wording
 * ({@code registry/config.go}): {@code registry-mirrors} (http or https URIs, kept with one trailing slash),
 * {@code insecure-registries} (CIDRs, kept as their network, or {@code host[:port]}; a leading {@code http://} is
 * dropped), {@code max-concurrent-downloads} (3) and {@code max-concurrent-uploads} (5), and Berth's own
 * {@code registry-certs-dir}: the directory of per-registry TLS files {@code <dir>/<host[:port]>/{ca.crt,client.cert,
 * client.key}}, by default {@code certs.d} next to the configuration file ({@code /etc/berth/certs.d}).
 */
final class RegistryFlags {
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*");

    private RegistryFlags() {}

    @SuppressWarnings("unchecked")
    static RegistryOptions from(Map<String, Object> all, Path configFile) throws DaemonConfig.ConfigException {
        List<String> mirrors = new ArrayList<>();
        for (String m : (List<String>) all.getOrDefault("registry-mirrors", List.of())) mirrors.add(mirror(m));
        List<String> insecure = new ArrayList<>();
        for (String r : (List<String>) all.getOrDefault("insecure-registries", List.of())) {
            String v = insecure(r);
            if (!insecure.contains(v)) insecure.add(v);
        }
        int downloads = (Integer) all.getOrDefault("max-concurrent-downloads", 3);
        if (downloads < 0) throw new DaemonConfig.ConfigException("invalid max concurrent downloads: " + downloads);
        int uploads = (Integer) all.getOrDefault("max-concurrent-uploads", 5);
        if (uploads < 0) throw new DaemonConfig.ConfigException("invalid max concurrent uploads: " + uploads);
        Object dir = all.get("registry-certs-dir");
        Path certs = dir != null ? Path.of((String) dir) : configFile.toAbsolutePath().getParent().resolve("certs.d");
        return new RegistryOptions(mirrors, insecure, certs.toAbsolutePath().normalize(), downloads == 0 ? 3 : downloads,
                uploads == 0 ? 5 : uploads);
    }

    /** dockerd's {@code ValidateMirror}. */
    static String mirror(String val) throws DaemonConfig.ConfigException {
        URI uri;
        try {
            uri = new URI(val);
        } catch (URISyntaxException e) {
            throw new DaemonConfig.ConfigException("invalid mirror: \"" + val + "\" is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new DaemonConfig.ConfigException("invalid mirror: unsupported scheme \"" + scheme + "\" in \"" + val + "\"");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new DaemonConfig.ConfigException("invalid mirror: query or fragment at end of the URI \"" + val + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw new DaemonConfig.ConfigException("invalid mirror: username/password not allowed in URI \""
                    + val.replace(uri.getRawUserInfo(), uri.getRawUserInfo().replaceAll(":.*", "") + ":xxxxx") + "\"");
        }
        return (val.endsWith("/") ? val.substring(0, val.length() - 1) : val) + "/";
    }

    /** dockerd's {@code loadInsecureRegistries} for one entry: a CIDR (as its network) or a {@code host[:port]}. */
    static String insecure(String r) throws DaemonConfig.ConfigException {
        String v = r;
        if (v.toLowerCase().startsWith("http://")) v = v.substring(7);
        else if (v.toLowerCase().startsWith("https://")) v = v.substring(8);
        else if (v.contains("://")) throw new DaemonConfig.ConfigException("insecure registry " + r + " should not contain '://'");
        if (v.contains("/")) return cidr(r, v);
        String host = v;
        int colon = v.lastIndexOf(':');
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) throw invalid(r, "invalid host \"" + v + "\"");
            host = v.substring(1, end);
            colon = v.indexOf(':', end);
        } else if (colon >= 0) {
            host = v.substring(0, colon);
        }
        if (colon >= 0) {
            String port = v.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) throw invalid(r, "invalid port \"" + port + "\"");
        }
        if (!HOST.matcher(host).matches() && !host.matches("[0-9a-fA-F:.]+")) throw invalid(r, "invalid host \"" + host + "\"");
        return v;
    }

    private static String cidr(String r, String v) throws DaemonConfig.ConfigException {
        int slash = v.indexOf('/');
        String addr = v.substring(0, slash);
        String bitsText = v.substring(slash + 1);
        boolean v6 = addr.contains(":");
        int max = v6 ? 128 : 32;
        if ((!v6 && !addr.matches("\\d{1,3}(\\.\\d{1,3}){3}")) || (v6 && !addr.matches("[0-9a-fA-F:.]+"))
                || !bitsText.matches("\\d{1,3}") || Integer.parseInt(bitsText) > max) {
            throw invalid(r, "invalid CIDR address: " + v);
        }
        byte[] ip;
        try {
            ip = java.net.InetAddress.getByName(addr).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw invalid(r, "invalid CIDR address: " + v);
        }
        int bits = Integer.parseInt(bitsText);
        for (int i = 0; i < ip.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            ip[i] = (byte) (ip[i] & (0xff << (8 - keep)));
        }
        try {
            String net = java.net.InetAddress.getByAddress(ip).getHostAddress();
            if (v6) net = java.net.InetAddress.getByAddress(ip) instanceof java.net.Inet6Address ? compress(net) : net;
            return net + "/" + bits;
        } catch (java.net.UnknownHostException e) {
            throw invalid(r, "invalid CIDR address: " + v);
        }
    }

    /** Go's shortest IPv6 form: the longest run of zero groups as {@code ::}. */
    private static String compress(String full) {
        String[] g = full.split(":");
        int best = -1, bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (!g[i].equals("0")) { i++; continue; }
            int j = i;
            while (j < g.length && g[j].equals("0")) j++;
            if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
            i = j;
        }
        if (best < 0) return full;
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, best));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, best + bestLen, g.length));
        return head + "::" + tail;
    }

    private static DaemonConfig.ConfigException invalid(String r, String why) {
        return new DaemonConfig.ConfigException("insecure registry " + r + " is not valid: " + why);
    }
}
