package io.berth.engine.distribution;

import io.berth.oci.Reference;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The endpoints to try for a registry, in order (moby's {@code lookupV2Endpoints}): the mirrors first for Docker Hub
 * pulls, then {@code https://<host>}; an insecure registry over https without verification and then over plain http.
 * Docker Hub ({@code docker.io}, {@code index.docker.io}) is served by {@code registry-1.docker.io}.
 */
final class RegistryEndpoints {
    static final String HUB_HOST = "registry-1.docker.io";

    private final List<String> mirrors;
    private final InsecureRegistries insecure;

    RegistryEndpoints(List<String> mirrors, InsecureRegistries insecure) {
        this.mirrors = List.copyOf(mirrors);
        this.insecure = insecure;
    }

    /** The endpoints for {@code domain} (a reference's domain); mirrors only when {@code forPull} and it is Hub. */
    List<Endpoint> lookup(String domain, boolean forPull) {
        List<Endpoint> out = new ArrayList<>();
        boolean hub = isHub(domain);
        if (hub && forPull) {
            for (String m : mirrors) {
                URI uri = URI.create(m.contains("://") ? m : "https://" + m);
                String host = uri.getRawAuthority();
                boolean skip = "https".equals(uri.getScheme()) && insecure.isInsecure(host);
                out.add(new Endpoint(uri, host, skip, true));
            }
        }
        String host = hub ? HUB_HOST : domain;
        boolean insecureHost = insecure.isInsecure(hub ? Reference.DEFAULT_DOMAIN : host);
        out.add(new Endpoint(URI.create("https://" + host), host, insecureHost, false));
        if (insecureHost) out.add(new Endpoint(URI.create("http://" + host), host, false, false));
        return out;
    }

    /**
     * The registry host named by a login's {@code serveraddress}: scheme and path dropped; empty and every name of
     * Docker Hub (including {@code https://index.docker.io/v1/}) give {@code docker.io}.
     */
    static String loginDomain(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) return Reference.DEFAULT_DOMAIN;
        String s = serverAddress.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) s = s.substring(0, slash);
        return isHub(s) ? Reference.DEFAULT_DOMAIN : s.toLowerCase(Locale.ROOT);
    }

    static boolean isHub(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.equals(Reference.DEFAULT_DOMAIN) || d.equals("index.docker.io") || d.equals(HUB_HOST);
    }
}
