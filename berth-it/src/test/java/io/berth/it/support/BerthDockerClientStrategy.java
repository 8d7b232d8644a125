package io.berth.it.support;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points Testcontainers at a test's own berthd: Testcontainers finds its daemon through strategies loaded with
 * {@link java.util.ServiceLoader}, and reads {@code DOCKER_HOST} only from the environment or the user's
 * {@code ~/.testcontainers.properties}, neither of which a test can set for a socket made at run time. This one
 * applies when the system property {@value #HOST_PROPERTY} names the socket, ranks above Testcontainers' own, and
 * is never written to the user's properties.
 */
public final class BerthDockerClientStrategy extends DockerClientProviderStrategy {
    /** The system property holding the daemon's address ({@code unix:///…/berth.sock}). */
    public static final String HOST_PROPERTY = "berth.it.testcontainers.host";

    @Override public String getDescription() { return "berthd of the integration test (" + System.getProperty(HOST_PROPERTY) + ")"; }

    @Override protected boolean isApplicable() { return System.getProperty(HOST_PROPERTY) != null; }

    @Override protected boolean isPersistable() { return false; }

    @Override protected int getPriority() { return Integer.MAX_VALUE; }

    @Override public TransportConfig getTransportConfig() {
        return TransportConfig.builder().dockerHost(URI.create(System.getProperty(HOST_PROPERTY))).build();
    }
}
