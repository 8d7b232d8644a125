package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A pull session for a Docker Hub name with {@code registry-mirrors}: each read goes to the mirrors in order and then
 * to the registry itself, moving on when a mirror fails or lacks the content (moby's {@code continueOnError} for
 * mirrors). Mirrors never get credentials. Writes belong to push sessions, which never use mirrors.
 */
final class MirroredSession implements RepositorySession {
    @FunctionalInterface
    private interface Read<T> {
        T apply(RepositorySession s) throws IOException;
    }

    private final List<RepositorySession> sessions;

    /** {@code sessions}: the mirrors' then the registry's own, last. */
    MirroredSession(List<RepositorySession> sessions) {
        this.sessions = List.copyOf(sessions);
    }

    @Override public Reference repository() { return sessions.getLast().repository(); }

    @Override public Optional<FetchedManifest> manifest(String tagOrDigest) throws IOException {
        return first(s -> s.manifest(tagOrDigest));
    }

    @Override public Optional<Digest> resolve(String tag) throws IOException {
        return first(s -> s.resolve(tag));
    }

    @Override public InputStream blob(Descriptor blob, long offset) throws IOException {
        return first(s -> Optional.of(s.blob(blob, offset))).orElseThrow();
    }

    @Override public boolean exists(Digest blob) throws IOException {
        return first(s -> s.exists(blob) ? Optional.of(Boolean.TRUE) : Optional.empty()).isPresent();
    }

    @Override public boolean mount(Digest blob, String fromRepository) throws IOException {
        return sessions.getLast().mount(blob, fromRepository);
    }

    @Override public void upload(Descriptor blob, BlobSource data) throws IOException {
        sessions.getLast().upload(blob, data);
    }

    @Override public Digest putManifest(String tagOrDigest, String mediaType, byte[] body) throws IOException {
        return sessions.getLast().putManifest(tagOrDigest, mediaType, body);
    }

    @Override public List<String> tags() throws IOException {
        return first(s -> Optional.of(s.tags())).orElseThrow();
    }

    /** The first present answer of a mirror, else the registry's own answer (or failure). */
    private <T> Optional<T> first(Read<Optional<T>> read) throws IOException {
        for (int i = 0; i < sessions.size() - 1; i++) {
            try {
                Optional<T> answer = read.apply(sessions.get(i));
                if (answer.isPresent()) return answer;
            } catch (IOException | BerthException mirrorFailed) {
                // a mirror that fails or lacks the content: on to the next one
            }
        }
        return read.apply(sessions.getLast());
    }
}
