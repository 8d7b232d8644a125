package io.berth.engine.archive;

import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarRoundTripTest {
    static final Instant T = Instant.ofEpochSecond(1_700_000_000L);
    static final byte[] CAP = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    record Read(TarEntry entry, byte[] content) {}

    static List<Read> readAll(byte[] tar) throws IOException {
        List<Read> out = new ArrayList<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
            TarEntry e;
            while ((e = r.next()) != null) out.add(new Read(e, r.content().readAllBytes()));
        }
        return out;
    }

    @Test
    void everyTypeRoundTrips() throws IOException {
        String longName = "deep/" + "x".repeat(120) + "/" + "y".repeat(120) + "/file.txt";
        String longLink = "/target/" + "z".repeat(150);
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        List<TarEntry> entries = List.of(
                TarEntry.dir("tmp", 01777, T),
                TarEntry.file("tmp/big", big.length, 06755, Instant.ofEpochSecond(1_600_000_000L, 123_456_789))
                        .withOwner(1000, 2000).withOwnerNames("alice", "staff"),
                TarEntry.file("bin/ping", 3, 0755, T).withXattrs(Map.of("security.capability", CAP, "user.e", new byte[0])),
                TarEntry.symlink("link", longLink, T),
                TarEntry.hardlink("hard", "tmp/big", T),
                TarEntry.device("dev/null", TarEntry.Type.CHAR, 0666, 1, 3, T),
                TarEntry.device("dev/sda", TarEntry.Type.BLOCK, 0660, 8, 0, T),
                TarEntry.device("dev/huge", TarEntry.Type.BLOCK, 0660, 4095, 3_000_000, T),
                TarEntry.device("fifo", TarEntry.Type.FIFO, 0600, 0, 0, T),
                TarEntry.file(longName, 2, 0644, T),
                TarEntry.file("ünïcødé/名前", 0, 0644, T),
                TarEntry.file("a".repeat(100), 0, 0644, T),
                TarEntry.file("bigid", 0, 0644, T).withOwner(5_000_000, 70_000_000).withOwnerNames("u".repeat(40), "g"),
                TarEntry.file("old", 0, 0644, Instant.ofEpochSecond(-86_400L * 365)));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bos)) {
            for (TarEntry e : entries) {
                byte[] content = switch (e.name()) {
                    case "tmp/big" -> big;
                    case "bin/ping" -> "abc".getBytes();
                    default -> e.size() == 2 ? "hi".getBytes() : null;
                };
                w.add(e, content == null ? null : new ByteArrayInputStream(content));
            }
        }
        byte[] tar = bos.toByteArray();
        assertThat(tar.length % 512).isZero();
        List<Read> got = readAll(tar);
        assertThat(got).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            TarEntry want = entries.get(i);
            if (want.type() == TarEntry.Type.DIR) want = want.withName(want.name() + "/");
            assertThat(got.get(i).entry()).as(want.name()).isEqualTo(want);
        }
        assertThat(got.get(1).content()).isEqualTo(big);
        assertThat(got.get(2).entry().xattrs().get("security.capability")).isEqualTo(CAP);
        assertThat(got.get(2).content()).isEqualTo("abc".getBytes());
        assertThat(got.get(9).content()).isEqualTo("hi".getBytes());
    }

    @Test
    void nextSkipsUnreadContentAndContentIsBounded() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bos)) {
            w.addBytes("a", new byte[1000], T);
            w.addBytes("b", "bee".getBytes(), T);
        }
        try (TarReader r = new TarReader(new ByteArrayInputStream(bos.toByteArray()))) {
            assertThat(r.next().name()).isEqualTo("a");
            assertThat(r.content().read(new byte[10])).isEqualTo(10);
            TarEntry b = r.next();
            assertThat(b.name()).isEqualTo("b");
            InputStream c = r.content();
            assertThat(c.readAllBytes()).isEqualTo("bee".getBytes());
            assertThat(c.read()).isEqualTo(-1);
            assertThat(r.next()).isNull();
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void finishDoesNotCloseAndShortContentFails() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bos = new ByteArrayOutputStream() {
            @Override public void close() { closed[0] = true; }
        };
        TarWriter w = new TarWriter(bos);
        w.addBytes("x", new byte[3], T);
        w.finish();
        assertThat(closed[0]).isFalse();
        assertThat(bos.size()).isEqualTo(512 * 4);
        w.close();
        assertThat(closed[0]).isTrue();
        TarWriter w2 = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w2.add(TarEntry.file("s", 10, 0644, T), new ByteArrayInputStream(new byte[4])))
                .isInstanceOf(BerthException.InvalidArgument.class);
    }

    @Test
    void paxGlobalHeaderAppliesToFollowingEntries() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(rawHeader("pax_global_header", 'g', paxRecord("uname", "glob".getBytes()).length));
        bos.write(pad(paxRecord("uname", "glob".getBytes())));
        try (TarWriter w = new TarWriter(bos)) {
            w.addBytes("f", "x".getBytes(), T);
        }
        List<Read> got = readAll(bos.toByteArray());
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().entry().uname()).isEqualTo("glob");
    }

    @Test
    void oldStyleFilesAndDirsAndBase256() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] h = rawHeader("olddir/", '\0', 0);
        bos.write(h);
        byte[] f = rawHeader("oldfile", '\0', 5);
        // size as base-256
        Arrays.fill(f, 124, 136, (byte) 0);
        f[124] = (byte) 0x80;
        f[135] = 5;
        // uid as base-256
        Arrays.fill(f, 108, 116, (byte) 0);
        f[108] = (byte) 0x80;
        f[113] = 0x01; f[114] = 0x00; f[115] = 0x00; // 65536
        checksum(f);
        bos.write(f);
        bos.write(pad("hello".getBytes()));
        bos.write(new byte[1024]);
        List<Read> got = readAll(bos.toByteArray());
        assertThat(got.get(0).entry().type()).isEqualTo(TarEntry.Type.DIR);
        assertThat(got.get(1).entry().type()).isEqualTo(TarEntry.Type.FILE);
        assertThat(got.get(1).entry().uid()).isEqualTo(65536);
        assertThat(got.get(1).content()).isEqualTo("hello".getBytes());
    }

    @Test
    void paxFractionalMtimeAndBinaryXattr() throws IOException {
        byte[] v = {0, (byte) 0x80, '\n', '=', (byte) 0xff};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(paxRecord("mtime", "1234567890.5".getBytes()));
        body.write(paxRecord("SCHILY.xattr.security.capability", v));
        body.write(paxRecord("path", "p/".concat("q".repeat(300)).getBytes()));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(rawHeader("PaxHeaders/x", 'x', body.size()));
        bos.write(pad(body.toByteArray()));
        bos.write(rawHeader("short", '0', 0));
        bos.write(new byte[1024]);
        TarEntry e = readAll(bos.toByteArray()).getFirst().entry();
        assertThat(e.name()).isEqualTo("p/" + "q".repeat(300));
        assertThat(e.mtime()).isEqualTo(Instant.ofEpochSecond(1234567890L, 500_000_000));
        assertThat(e.xattrs().get("security.capability")).isEqualTo(v);
    }

    @Test
    void badChecksumGarbageTruncated() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bos)) {
            w.addBytes("f", new byte[2000], T);
        }
        byte[] tar = bos.toByteArray();
        byte[] bad = tar.clone();
        bad[0] = 'g';
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageStartingWith("invalid tar header");
        byte[] garbage = "this is not a tar archive at all\n".repeat(40).getBytes();
        assertThatThrownBy(() -> readAll(garbage)).isInstanceOf(BerthException.InvalidArgument.class);
        for (int cut : new int[] {100, 512, 1000, 2560}) {
            byte[] t = Arrays.copyOf(tar, cut);
            assertThatThrownBy(() -> readAll(t)).as("cut at " + cut).isInstanceOf(BerthException.InvalidArgument.class);
        }
        // EOF after a single end block is accepted
        assertThat(readAll(Arrays.copyOf(tar, tar.length - 512))).hasSize(1);
        assertThat(readAll(new byte[0])).isEmpty();
    }

    // --- raw header helpers ---

    static byte[] rawHeader(String name, char type, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", T.getEpochSecond()));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        checksum(h);
        return h;
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
    }

    static byte[] pad(byte[] b) {
        return Arrays.copyOf(b, (b.length + 511) / 512 * 512);
    }

    static byte[] paxRecord(String key, byte[] value) {
        int base = 1 + key.length() + 1 + value.length + 1;
        int len = base + 1;
        while (len != base + String.valueOf(len).length()) len = base + String.valueOf(len).length();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(value);
        o.write('\n');
        return o.toByteArray();
    }
}
