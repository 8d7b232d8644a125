package io.berth.engine.distribution;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry settings as dockerd's {@code registry.ServiceConfig} sees them: the insecure list split into CIDRs
 * (loopback {@code ::1/128} and {@code 127.0.0.0/8} always added) and {@code host[:port]} index configs, Docker Hub's
 * index config carrying the mirrors. {@link #info()} is the {@code RegistryConfig} of {@code GET /info};
 * {@link #insecure(String)} tells whether a registry host may be reached over plain HTTP or unverified TLS.
 */
public final class RegistryConfigView {
    /** The name of Docker Hub's index, as dockerd's {@code registry.IndexName}. */
    public static final String INDEX_NAME = "docker.io";
    private static final List<String> LOOPBACK = List.of("::1/128", "127.0.0.0/8");

    private final List<String> mirrors;
    private final List<String> cidrs = new ArrayList<>();
    private final List<String> hosts = new ArrayList<>();

    public RegistryConfigView(RegistryOptions options) {
        this.mirrors = options.mirrors();
        List<String> all = new ArrayList<>(options.insecureRegistries());
        all.addAll(LOOPBACK);
        for (String r : all) {
            if (r.contains("/")) {
                if (!cidrs.contains(r)) cidrs.add(r);
            } else if (!hosts.contains(r)) {
                hosts.add(r);
            }
        }
    }

    /** {@code InsecureRegistryCIDRs}: the configured CIDRs, then loopback. */
    public List<String> insecureCidrs() { return List.copyOf(cidrs); }

    /** The {@code host[:port]} entries of {@code insecure-registries}. */
    public List<String> insecureHosts() { return List.copyOf(hosts); }

    /** {@code RegistryConfig} as dockerd's /info shows it. */
    public Map<String, Object> info() {
        Map<String, Object> index = new LinkedHashMap<>();
        for (String h : hosts) index.put(h, indexInfo(h, List.of(), false, false));
        index.put(INDEX_NAME, indexInfo(INDEX_NAME, mirrors, true, true));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AllowNondistributableArtifactsCIDRs", List.of());
        m.put("AllowNondistributableArtifactsHostnames", List.of());
        m.put("InsecureRegistryCIDRs", List.copyOf(cidrs));
        m.put("IndexConfigs", index);
        m.put("Mirrors", mirrors);
        return m;
    }

    private static Map<String, Object> indexInfo(String name, List<String> mirrors, boolean secure, boolean official) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Mirrors", mirrors);
        m.put("Secure", secure);
        m.put("Official", official);
        return m;
    }

    /**
     * Whether {@code hostPort} (a registry's {@code host[:port]}) is insecure: listed as such, {@code localhost}, or an
     * IP literal inside an insecure CIDR. Host names are not resolved (dockerd does; Berth never asks DNS for this).
     */
    public boolean insecure(String hostPort) {
        if (hosts.contains(hostPort)) return true;
        String host = hostOf(hostPort);
        if (host.equals("localhost") || hosts.contains(host)) return true;
        byte[] ip = literal(host);
        if (ip == null) return false;
        for (String c : cidrs) {
            if (contains(c, ip)) return true;
        }
        return false;
    }

    static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(1, end);
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 && colon == hostPort.lastIndexOf(':') ? hostPort.substring(0, colon) : hostPort;
    }

    /** The address bytes of an IPv4 or IPv6 literal, else null (never a DNS lookup). */
    static byte[] literal(String host) {
        if (!host.matches("[0-9.]+") && !(host.contains(":") && host.matches("[0-9a-fA-F:.%]+"))) return null;
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean contains(String cidr, byte[] ip) {
        int slash = cidr.indexOf('/');
        byte[] net = literal(cidr.substring(0, slash));
        if (net == null || net.length != ip.length) return false;
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((net[i] & mask) != (ip[i] & mask)) return false;
        }
        return true;
    }
}
