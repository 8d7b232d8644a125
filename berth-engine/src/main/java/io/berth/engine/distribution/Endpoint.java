package io.berth.engine.distribution;

import java.net.URI;

/**
 * One place to talk to a registry: its base URI ({@code https://registry-1.docker.io}), whether TLS verification is
 * skipped (an insecure registry over https), and whether it is a mirror (which never receives credentials).
 * {@code host} is the {@code host[:port]} naming the registry for TLS files.
 */
record Endpoint(URI base, String host, boolean skipVerify, boolean mirror) {
    /** The URI of {@code path} (starting with {@code /v2/}) on this endpoint. */
    URI resolve(String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    /** {@code host:port} of the base, with the scheme's default port made explicit: requests keep credentials only there. */
    String authority() { return authorityOf(base); }

    static String authorityOf(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }
}
