package io.berth.engine.build.context;

import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Small tars for the tests. */
final class Tars {
    static final Instant T = Instant.ofEpochSecond(1_600_000_000L);

    interface Body { void write(TarWriter w) throws IOException; }

    private Tars() {}

    static byte[] tar(Body b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(o)) {
            b.write(w);
        }
        return o.toByteArray();
    }

    static void file(TarWriter w, String name, String content) throws IOException {
        file(w, name, content, 0644);
    }

    static void file(TarWriter w, String name, String content, int mode) throws IOException {
        file(w, name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    static void file(TarWriter w, String name, byte[] content, int mode) throws IOException {
        w.add(TarEntry.file(name, content.length, mode, T), new ByteArrayInputStream(content));
    }
}
