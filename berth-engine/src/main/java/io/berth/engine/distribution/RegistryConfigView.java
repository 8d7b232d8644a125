package io.berth.engine.distribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry settings as dockerd's {@code registry.ServiceConfig} sees them: the insecure list split into CIDRs
 * (loopback {@code ::1/128} and {@code 127.0.0.0/8} always added) and {@code host[:port]} index configs, Docker Hub's
 * index config carrying the mirrors: {@link #info()} is the {@code RegistryConfig} of {@code GET /info}. (Which
 * registry is insecure when connecting is {@link InsecureRegistries}' job.)
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
}
