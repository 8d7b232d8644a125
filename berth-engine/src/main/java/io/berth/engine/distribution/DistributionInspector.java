package io.berth.engine.distribution;

import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.DistributionInspect;
import io.berth.oci.Descriptor;
import io.berth.oci.ImageConfig;
import io.berth.oci.Index;
import io.berth.oci.Manifest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /distribution/{name}/json} as dockerd's distribution router: the descriptor of the manifest or index the
 * registry serves for the name, and its platforms (every entry of an index; the config's os/architecture for a single
 * manifest).
 */
final class DistributionInspector {
    private final RegistryClient registries;

    DistributionInspector(RegistryClient registries) { this.registries = registries; }

    DistributionInspect inspect(String name, AuthConfig auth) {
        Reference ref = Reference.parse(name).withDefaultTag();
        RepositorySession session = registries.open(new Reference(ref.domain(), ref.path(), null, null),
                auth == null ? AuthConfig.NONE : auth, false);
        String tagOrDigest = ref.digest() != null ? ref.digest() : ref.tag();
        try {
            FetchedManifest m = session.manifest(tagOrDigest).orElseThrow(() -> new BerthException.NotFound(
                    "manifest for " + ref.familiarString() + " not found: manifest unknown: manifest unknown"));
            var descriptor = new DistributionInspect.Descriptor(m.mediaType(), m.digest().toString(), m.body().length);
            return new DistributionInspect(descriptor, platforms(session, m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<DistributionInspect.Platform> platforms(RepositorySession session, FetchedManifest m) throws IOException {
        List<DistributionInspect.Platform> out = new ArrayList<>();
        if (MediaTypes.isIndex(m.mediaType())) {
            Index index = Json.plain().readValue(m.body(), Index.class);
            for (Descriptor d : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
                Descriptor.Platform p = d.platform();
                out.add(p == null ? new DistributionInspect.Platform("", "", null, null, null, null)
                        : new DistributionInspect.Platform(p.architecture(), p.os(), null, null, p.variant(), null));
            }
        } else if (MediaTypes.isManifest(m.mediaType())) {
            Descriptor config = Json.plain().readValue(m.body(), Manifest.class).config();
            if (config != null) {
                ImageConfig c = Json.plain().readValue(ConfigBlob.fetch(session, config), ImageConfig.class);
                if (notEmpty(c.os()) || notEmpty(c.architecture())) {
                    out.add(new DistributionInspect.Platform(c.architecture(), c.os(), null, null, c.variant(), null));
                }
            }
        }
        return out;
    }

    private static boolean notEmpty(String s) { return s != null && !s.isEmpty(); }
}
