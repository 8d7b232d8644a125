package io.berth.engine.distribution;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.image.DerivedBlobs;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moby's V2 metadata, persistent under {@code <data-root>/distribution}: {@code origins/<blob hex>.json} lists the
 * {registry host, repository} pairs known to hold a blob (most recent first, at most {@value #MAX_ORIGINS}), and
 * {@code compressed/<diffid hex>.json} the gzip blob Berth made of an uncompressed layer. One small file per key,
 * each written atomically (temp file, fsync, rename), read lazily and cached; an unreadable file counts as empty.
 * It also tells garbage collection which compressed blobs belong to live layers.
 */
public final class V2Metadata implements BlobOrigins, CompressedLayers, DerivedBlobs {
    private static final Logger LOG = LoggerFactory.getLogger(V2Metadata.class);
    static final int MAX_ORIGINS = 50;

    /** One place a blob is known to be. */
    record Origin(String host, String repository) {}

    private final Path origins;
    private final Path compressed;
    private final Map<Digest, List<Origin>> originCache = new ConcurrentHashMap<>();
    private final Map<Digest, Optional<Descriptor>> compressedCache = new ConcurrentHashMap<>();

    public V2Metadata(Path root) {
        this.origins = root.resolve("origins");
        this.compressed = root.resolve("compressed");
        try {
            Files.createDirectories(origins);
            Files.createDirectories(compressed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the distribution metadata under " + root, e);
        }
    }

    @Override public void add(Digest blob, String registryHost, String repository) {
        Origin added = new Origin(registryHost, repository);
        originCache.compute(blob, (d, known) -> {
            List<Origin> list = new ArrayList<>(known != null ? known : readOrigins(d));
            if (!list.isEmpty() && list.getFirst().equals(added)) return list;
            list.remove(added);
            list.addFirst(added);
            if (list.size() > MAX_ORIGINS) list = new ArrayList<>(list.subList(0, MAX_ORIGINS));
            write(origins.resolve(d.hex() + ".json"), list);
            return List.copyOf(list);
        });
    }

    @Override public List<String> repositories(Digest blob, String registryHost) {
        List<String> out = new ArrayList<>();
        for (Origin o : originCache.computeIfAbsent(blob, this::readOrigins)) {
            if (o.host().equals(registryHost)) out.add(o.repository());
        }
        return out;
    }

    @Override public Optional<Descriptor> compressed(Digest diffId) {
        return compressedCache.computeIfAbsent(diffId, d -> read(compressed.resolve(d.hex() + ".json"), new TypeReference<>() {}));
    }

    @Override public void rememberCompressed(Digest diffId, Descriptor blob) {
        compressedCache.compute(diffId, (d, old) -> {
            write(compressed.resolve(d.hex() + ".json"), blob);
            return Optional.of(blob);
        });
    }

    @Override public Set<Digest> of(Set<Digest> diffIds) {
        Set<Digest> out = new HashSet<>();
        for (Digest d : diffIds) compressed(d).ifPresent(b -> out.add(b.digestValue()));
        return out;
    }

    private List<Origin> readOrigins(Digest blob) {
        return List.copyOf(this.<List<Origin>>read(origins.resolve(blob.hex() + ".json"), new TypeReference<>() {}).orElse(List.of()));
    }

    private <T> Optional<T> read(Path file, TypeReference<T> type) {
        try {
            return Optional.of(Json.plain().readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable distribution metadata {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static void write(Path file, Object value) {
        try {
            AtomicFiles.write(file, Json.plain().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write distribution metadata " + file, e);
        }
    }
}
