package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/** Fetches an image config blob whole and verifies it against its descriptor (moby's {@code pullSchema2Config}). */
final class ConfigBlob {
    private static final long MAX_SIZE = 64L << 20;

    private ConfigBlob() {}

    /** The config's bytes; "image config verification failed for digest …" when they are not the descriptor's. */
    static byte[] fetch(RepositorySession session, Descriptor desc) throws IOException {
        if (desc.size() < 0 || desc.size() > MAX_SIZE) throw mismatch(desc);
        byte[] body;
        try (InputStream in = session.blob(desc, 0)) {
            body = in.readNBytes((int) desc.size());
        }
        if (body.length != desc.size() || !Digest.of(body).equals(desc.digestValue())) throw mismatch(desc);
        return body;
    }

    private static BerthException mismatch(Descriptor desc) {
        return new BerthException.InvalidArgument("image config verification failed for digest " + desc.digest());
    }
}
