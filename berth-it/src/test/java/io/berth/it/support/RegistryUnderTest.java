package io.berth.it.support;

import java.net.URI;

/**
 * A distribution server the conformance and hostile-input suites run against: {@link BerthRegistry} (must pass
 * everything) or Debian's docker-registry through {@link LocalRegistry} (the control, which lacks the OCI 1.1 parts).
 */
public interface RegistryUnderTest extends AutoCloseable {
    /** {@code http://127.0.0.1:<port>}. */
    URI base();

    /** {@code 127.0.0.1:<port>}: the registry part of image references. */
    default String host() { return base().getAuthority(); }

    /** A client without credentials. */
    default OciHttp http() { return new OciHttp(base()); }

    /** What the server logged so far (for failure messages). */
    String log();

    @Override void close();
}
