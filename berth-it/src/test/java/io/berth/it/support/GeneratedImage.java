package io.berth.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A large single-layer image in docker-archive form, generated on the fly: the layer holds {@code files} files of
 * {@code fileSize} pseudo-random (incompressible, reproducible) bytes. Nothing is kept in memory or on disk: the layer
 * digest is computed by a first generating pass, then {@link #writeArchive} streams manifest.json, the config and the
 * layer tar.
 */
public final class GeneratedImage {
    private static final int CHUNK = 1 << 20;
    private final String repoTag;
    private final int files;
    private final long fileSize;
    private final long seed;
    private String layerDigestHex;
    private byte[] config;

    public GeneratedImage(String repoTag, int files, long fileSize, long seed) {
        this.repoTag = repoTag;
        this.files = files;
        this.fileSize = fileSize;
        this.seed = seed;
    }

    public long layerSize() {
        long n = 0;
        n += 512; // the "big/" directory
        n += files * TarWriter.entrySize(fileSize);
        return n + TarWriter.TRAILER;
    }

    public long totalDataBytes() {
        return files * fileSize;
    }

    /** The image ID, {@code sha256:<digest of the config>}. */
    public String imageId() throws IOException {
        return "sha256:" + sha256(config());
    }

    public synchronized byte[] config() throws IOException {
        if (config == null) {
            MessageDigest md = sha();
            try (DigestOutputStream d = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                writeLayer(d);
            }
            layerDigestHex = HexFormat.of().formatHex(md.digest());
            String json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05Z\","
                    + "\"config\":{\"Cmd\":[\"sh\"],\"Env\":[\"PATH=/bin\"],\"Labels\":{\"org.example.generated\":\"" + seed + "\"}},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerDigestHex + "\"]},"
                    + "\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"berth-it generated " + files + "x" + fileSize + "\"}]}";
            config = json.getBytes(StandardCharsets.UTF_8);
        }
        return config;
    }

    /** Writes the docker-archive: manifest.json, {@code <id>.json}, {@code <digest>/layer.tar}. */
    public void writeArchive(OutputStream out) throws IOException {
        byte[] cfg = config();
        String cfgName = sha256(cfg) + ".json";
        String layerName = layerDigestHex + "/layer.tar";
        String manifest = "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[\"" + layerName + "\"]}]";
        TarWriter tar = new TarWriter(out, false);
        tar.file("manifest.json", 0644, manifest);
        tar.file(cfgName, 0644, cfg);
        tar.dir(layerDigestHex, 0755);
        tar.file(layerName, 0644, layerSize(), this::writeLayer);
        tar.finish();
    }

    private void writeLayer(OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out, false);
        tar.dir("big", 0755);
        for (int i = 0; i < files; i++) {
            long s = seed * 1_000_003L + i;
            tar.file("big/f" + i, 0644, fileSize, o -> random(o, s, fileSize));
        }
        tar.finish();
    }

    private static void random(OutputStream out, long seed, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long x = seed ^ 0x9E3779B97F4A7C15L;
        if (x == 0) {
            x = 1;
        }
        long left = size;
        while (left > 0) {
            buf.clear();
            while (buf.hasRemaining()) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                buf.putLong(x);
            }
            int n = (int) Math.min(left, CHUNK);
            out.write(buf.array(), 0, n);
            left -= n;
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha().digest(b));
    }
}
