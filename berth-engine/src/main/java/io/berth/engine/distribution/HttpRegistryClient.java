package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.oci.Reference;

/** The registry client on the JDK's {@code HttpClient}: the Docker Registry HTTP API v2 / OCI distribution API. */
public final class HttpRegistryClient implements RegistryClient {
    private final RegistryOptions options;

    public HttpRegistryClient(RegistryOptions options) {
        this.options = options;
    }

    @Override public RepositorySession open(Reference repository, AuthConfig auth, boolean push) {
        throw new BerthException.NotImplemented("registry client: not written yet (" + options + ")");
    }

    @Override public String login(AuthConfig auth) {
        throw new BerthException.NotImplemented("registry login: not written yet");
    }
}
