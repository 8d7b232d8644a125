package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry in memory behind {@link RegistryClient}: blobs linked per repository, manifests per repository and
 * reference, uploads verified as distribution does. Knobs: refuse push (Unauthorized), fail a blob's next uploads
 * with an I/O error. Every request is recorded as "VERB repo arg".
 */
final class InMemoryRegistry implements RegistryClient {
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Set<Digest>> links = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final Map<Digest, AtomicInteger> failUploads = new ConcurrentHashMap<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile BerthException refusePush;
    final Set<String> denyPull = ConcurrentHashMap.newKeySet();
    int opened;

    @Override public RepositorySession open(Reference repository, AuthConfig auth, boolean push) {
        opened++;
        return new Session(repository);
    }

    @Override public String login(AuthConfig auth) { return ""; }

    @Override public java.util.List<io.berth.api.registry.SearchResult> search(String host, String term, int limit, AuthConfig auth) {
        throw new io.berth.api.errors.BerthException.SystemError("Unexpected status code 404", null);
    }

    Set<Digest> linked(String repo) { return links.computeIfAbsent(repo, r -> ConcurrentHashMap.newKeySet()); }

    List<String> calls(String verb) { return calls.stream().filter(c -> c.startsWith(verb + " ")).toList(); }

    private final class Session implements RepositorySession {
        private final Reference repository;

        Session(Reference repository) { this.repository = repository; }

        @Override public Reference repository() { return repository; }

        @Override public Optional<FetchedManifest> manifest(String tagOrDigest) {
            byte[] body = manifests.get(repository.path() + ":" + tagOrDigest);
            return Optional.ofNullable(body).map(b -> new FetchedManifest(manifestTypes.get(repository.path() + ":" + tagOrDigest), Digest.of(b), b));
        }

        @Override public Optional<Digest> resolve(String tag) { return manifest(tag).map(FetchedManifest::digest); }

        @Override public InputStream blob(Descriptor blob, long offset) { throw new UnsupportedOperationException(); }

        @Override public boolean exists(Digest blob) {
            calls.add("HEAD " + repository.path() + " " + blob);
            return linked(repository.path()).contains(blob);
        }

        @Override public boolean mount(Digest blob, String fromRepository) {
            calls.add("MOUNT " + repository.path() + " " + blob + " from " + fromRepository);
            refuseIfAsked();
            if (denyPull.contains(fromRepository)) throw new BerthException.Unauthorized("denied: requested access to the resource is denied");
            if (!linked(fromRepository).contains(blob)) return false;
            linked(repository.path()).add(blob);
            return true;
        }

        @Override public void upload(Descriptor blob, BlobSource data) throws IOException {
            calls.add("UPLOAD " + repository.path() + " " + blob.digest());
            refuseIfAsked();
            AtomicInteger failures = failUploads.get(blob.digestValue());
            byte[] bytes;
            try (InputStream in = data.open()) {
                bytes = in.readAllBytes();
            }
            if (failures != null && failures.getAndDecrement() > 0) throw new IOException("connection reset by peer");
            if (bytes.length != blob.size() || !Digest.of(bytes).equals(blob.digestValue())) {
                throw new BerthException.InvalidArgument("digest invalid: provided digest did not match uploaded content");
            }
            blobs.put(blob.digestValue(), bytes);
            linked(repository.path()).add(blob.digestValue());
        }

        @Override public Digest putManifest(String tagOrDigest, String mediaType, byte[] body) {
            calls.add("PUT " + repository.path() + " " + tagOrDigest);
            Digest d = Digest.of(body);
            for (String key : List.of(tagOrDigest, d.toString())) {
                manifests.put(repository.path() + ":" + key, body);
                manifestTypes.put(repository.path() + ":" + key, mediaType);
            }
            return d;
        }

        @Override public List<String> tags() { return List.of(); }

        private void refuseIfAsked() {
            if (refusePush != null) throw refusePush;
        }
    }
}
