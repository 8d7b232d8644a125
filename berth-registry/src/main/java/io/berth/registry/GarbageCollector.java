package io.berth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.spec.BlobDigest;
import io.berth.registry.storage.BlobStore;
import io.berth.registry.storage.Repositories.Repo;
import io.berth.registry.storage.Repositories;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mark and sweep over the storage: every manifest of every repository (with {@code deleteUntagged}, only those a tag
 * reaches, directly or through an index, or that refer to such a one) marks itself and the blobs it names; blobs not
 * marked are deleted and unlinked. Safe beside a running server: a blob committed, mounted or referred to after
 * {@code start - grace} is kept (its mtime says so), and a manifest pushed in that window is never deleted as untagged.
 */
public final class GarbageCollector {
    /** What a run did (or, dry, would do). */
    public record Result(int blobsDeleted, long bytesFreed, int manifestsDeleted, int blobsKept) {}

    private final BlobStore blobs;
    private final Repositories repos;
    private final ObjectMapper json;

    public GarbageCollector(BlobStore blobs, Repositories repos, ObjectMapper json) {
        this.blobs = blobs;
        this.repos = repos;
        this.json = json;
    }

    /** A collector over the storage under {@code root}, for {@code berth registry gc} while no server runs. */
    public static GarbageCollector offline(java.nio.file.Path root) throws IOException {
        return new GarbageCollector(new BlobStore(root), new Repositories(root), io.berth.api.Json.plain());
    }

    /** Runs once; {@code graceMillis} is how far before now a blob still counts as wanted (0 offline). */
    public synchronized Result run(boolean dryRun, boolean deleteUntagged, long graceMillis) throws IOException {
        long keepAfter = System.currentTimeMillis() - graceMillis;
        Set<BlobDigest> marked = new HashSet<>();
        int manifestsDeleted = 0;
        for (String name : List.copyOf(repos.names())) {
            Repo r = repos.find(name);
            if (r == null) continue;
            Map<BlobDigest, String> revisions = r.revisions();
            Set<BlobDigest> live = deleteUntagged ? reachable(r, revisions, keepAfter) : revisions.keySet();
            for (var e : revisions.entrySet()) {
                BlobDigest m = e.getKey();
                if (!live.contains(m)) {
                    manifestsDeleted++;
                    if (!dryRun) repos.deleteManifest(r, m);
                    continue;
                }
                marked.add(m);
                ParsedManifest p = read(m, e.getValue());
                if (p != null) marked.addAll(p.blobs());
            }
        }
        int[] deleted = {0}, kept = {0};
        long[] freed = {0};
        List<BlobDigest> candidates = new java.util.ArrayList<>();
        blobs.forEach((d, size) -> {
            if (marked.contains(d)) kept[0]++;
            else candidates.add(d);
        });
        for (BlobDigest d : candidates) {
            long n;
            if (dryRun) {
                n = Files.getLastModifiedTime(blobs.path(d)).toMillis() < keepAfter ? blobs.size(d) : -1;
            } else {
                n = blobs.deleteIfOlder(d, keepAfter, this::unlinkEverywhere);
            }
            if (n < 0) {
                kept[0]++;
                continue;
            }
            deleted[0]++;
            freed[0] += n;
        }
        return new Result(deleted[0], freed[0], manifestsDeleted, kept[0]);
    }

    private void unlinkEverywhere(BlobDigest d) throws IOException {
        for (String name : List.copyOf(repos.names())) {
            Repo r = repos.find(name);
            if (r != null) repos.unlinkLayer(r, d);
        }
    }

    /** Manifests a tag reaches (through indexes and as referrers), plus the ones pushed recently. */
    private Set<BlobDigest> reachable(Repo r, Map<BlobDigest, String> revisions, long keepAfter) throws IOException {
        Set<BlobDigest> live = new HashSet<>();
        ArrayDeque<BlobDigest> todo = new ArrayDeque<>(r.tags().values());
        for (BlobDigest m : revisions.keySet()) {
            if (Files.exists(blobs.path(m)) && Files.getLastModifiedTime(blobs.path(m)).toMillis() >= keepAfter) todo.add(m);
        }
        while (!todo.isEmpty()) {
            BlobDigest m = todo.poll();
            if (!revisions.containsKey(m) || !live.add(m)) continue;
            ParsedManifest p = read(m, revisions.get(m));
            if (p != null) todo.addAll(p.manifests());
            for (byte[] ref : repos.referrers(r, m)) todo.add(BlobDigest.parse(json.readTree(ref).path("digest").asText()));
        }
        return live;
    }

    private ParsedManifest read(BlobDigest m, String mediaType) {
        try {
            return ParsedManifest.parse(Files.readAllBytes(blobs.path(m)), mediaType, json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The figures as {@code berth registry gc} prints them. */
    public static String describe(Result r, boolean dryRun) {
        return (dryRun ? "would delete " : "deleted ") + r.blobsDeleted() + " blobs (" + r.bytesFreed() + " bytes), "
                + r.manifestsDeleted() + " manifests; kept " + r.blobsKept() + " blobs";
    }
}
