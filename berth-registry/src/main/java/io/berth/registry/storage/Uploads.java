package io.berth.registry.storage;

import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blob uploads in progress: {@code uploads/<id>/data} and {@code uploads/<id>/state} (repository, acknowledged
 * offset, start time), the state rewritten atomically after the data is written, so an upload resumes after a restart
 * (or a {@code kill -9}) at the offset last acknowledged. The data is not fsynced, as distribution's filesystem driver
 * does not: what the kernel holds survives the process; after a power loss the digest check at the end refuses a
 * blob that lost bytes, and the client pushes it again (docs/design-notes.md). The running sha256 of an upload is kept in memory while the server runs; after a
 * restart the data is hashed again when the upload finishes.
 */
public final class Uploads {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    /** One upload: its repository, acknowledged offset and start. */
    public record Upload(String id, String repository, long offset, long startedMillis) {}

    private record Running(long offset, MessageDigest sha256) {}

    private final Path dir;
    private final BlobStore blobs;
    private final Clock clock;
    private final Map<String, Running> hashing = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public Uploads(Path root, BlobStore blobs, Clock clock) throws IOException {
        this.dir = Files.createDirectories(root.resolve("uploads"));
        this.blobs = blobs;
        this.clock = clock;
    }

    /** Starts an upload for {@code repository}. */
    public Upload start(String repository) throws IOException {
        String id = UUID.randomUUID().toString();
        Path d = Files.createDirectories(dir.resolve(id));
        Files.createFile(d.resolve("data"));
        Upload u = new Upload(id, repository, 0, clock.millis());
        writeState(u);
        hashing.put(id, new Running(0, BlobDigest.hasher("sha256")));
        return u;
    }

    /** The upload {@code id} of {@code repository}; 404 {@code BLOB_UPLOAD_UNKNOWN} otherwise. */
    public Upload get(String repository, String id) throws IOException {
        if (id == null || !ID.matcher(id).matches()) throw RegistryError.uploadUnknown(id);
        Path state = dir.resolve(id).resolve("state");
        List<String> lines;
        try {
            lines = Files.readAllLines(state, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RegistryError.uploadUnknown(id);
        }
        if (lines.size() < 3 || !lines.get(0).equals(repository)) throw RegistryError.uploadUnknown(id);
        return new Upload(id, lines.get(0), Long.parseLong(lines.get(1)), Long.parseLong(lines.get(2)));
    }

    /**
     * Appends {@code in} to the upload; with {@code start} ≥ 0 (a {@code Content-Range}) it must be the upload's
     * offset, else 416. Returns the upload with its new offset.
     */
    public Upload append(Upload u, long start, InputStream in, Runnable onBytes) throws IOException {
        if (!busy.add(u.id())) throw new RegistryError(416, "BLOB_UPLOAD_INVALID", "upload is busy", null, "Range", range(u.offset()));
        try {
            u = get(u.repository(), u.id());
            if (start >= 0 && start != u.offset()) {
                throw new RegistryError(416, "BLOB_UPLOAD_INVALID", "chunk out of order: expected offset " + u.offset(),
                        null, "Range", range(u.offset()));
            }
            Running run = hashing.get(u.id());
            MessageDigest md = run != null && run.offset() == u.offset() ? run.sha256() : null;
            long offset = u.offset();
            try (FileChannel ch = FileChannel.open(dir.resolve(u.id()).resolve("data"), StandardOpenOption.WRITE)) {
                ch.truncate(offset); // bytes of a chunk never acknowledged
                ch.position(offset);
                byte[] buf = new byte[BlobStore.BUFFER];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                int r;
                while ((r = in.read(buf)) > 0) {
                    bb.clear().limit(r);
                    while (bb.hasRemaining()) ch.write(bb);
                    if (md != null) md.update(buf, 0, r);
                    offset += r;
                }
            }
            Upload next = new Upload(u.id(), u.repository(), offset, u.startedMillis());
            writeState(next);
            if (md != null) hashing.put(u.id(), new Running(offset, md));
            else hashing.remove(u.id());
            if (onBytes != null) onBytes.run();
            return next;
        } finally {
            busy.remove(u.id());
        }
    }

    /** Verifies the upload against {@code expected}, moves it into the blob store and forgets the upload. */
    public long finish(Upload u, BlobDigest expected) throws IOException {
        Path data = dir.resolve(u.id()).resolve("data");
        try {
            if (Files.size(data) != u.offset()) {
                try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                    ch.truncate(u.offset()); // bytes of a chunk never acknowledged
                }
            }
            Running run = hashing.get(u.id());
            BlobDigest actual;
            if (expected.algorithm().equals("sha256") && run != null && run.offset() == u.offset()) {
                actual = BlobDigest.of("sha256", run.sha256());
            } else {
                MessageDigest md = expected.hasher();
                try (InputStream in = Files.newInputStream(data)) {
                    byte[] buf = new byte[BlobStore.BUFFER];
                    int r;
                    while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
                }
                actual = BlobDigest.of(expected.algorithm(), md);
            }
            if (!actual.equals(expected)) throw RegistryError.digestInvalid("expected " + expected + ", got " + actual);
            blobs.commit(data, expected, u.offset());
            return u.offset();
        } finally {
            cancel(u.id());
        }
    }

    /** Drops upload {@code id} and its data. */
    public void cancel(String id) throws IOException {
        hashing.remove(id);
        deleteTree(dir.resolve(id));
    }

    /** Uploads started before {@code cutoffMillis} (abandoned) are removed; returns how many. */
    public int expire(long cutoffMillis) throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String id = p.getFileName().toString();
                if (busy.contains(id)) continue;
                long last;
                try {
                    last = Files.getLastModifiedTime(p.resolve("state")).toMillis();
                } catch (IOException e) {
                    last = Files.getLastModifiedTime(p).toMillis();
                }
                if (last < cutoffMillis) {
                    cancel(id);
                    n++;
                }
            }
        }
        return n;
    }

    /** Number of uploads on disk. */
    public int inProgress() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    /** {@code Range} header value for an upload at {@code offset}. */
    public static String range(long offset) { return "0-" + Math.max(0, offset - 1); }

    private void writeState(Upload u) throws IOException {
        Path d = dir.resolve(u.id());
        Path tmp = d.resolve("state.tmp");
        byte[] text = (u.repository() + "\n" + u.offset() + "\n" + u.startedMillis() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text));
            ch.force(false);
        }
        Files.move(tmp, d.resolve("state"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
