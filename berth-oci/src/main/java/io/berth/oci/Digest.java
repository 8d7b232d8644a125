package io.berth.oci;

import io.berth.api.errors.BerthException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** A content digest {@code sha256:<64 hex>}; only sha256 is supported, as in Docker. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!algorithm.equals("sha256")) throw new BerthException.InvalidArgument("unsupported digest algorithm: " + algorithm);
        if (!SHA256_HEX.matcher(hex).matches()) throw new BerthException.InvalidArgument("invalid checksum digest format");
    }

    /** Parses {@code sha256:<hex>}; InvalidArgument otherwise. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) throw new BerthException.InvalidArgument("invalid checksum digest format: " + text);
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isDigest(String text) {
        return text.startsWith("sha256:") && SHA256_HEX.matcher(text.substring(7)).matches();
    }

    public static Digest ofHex(String hex) { return new Digest("sha256", hex); }

    public static Digest of(byte[] data) { return ofHex(HexFormat.of().formatHex(sha256().digest(data))); }

    public static Digest of(MessageDigest finished) { return ofHex(HexFormat.of().formatHex(finished.digest())); }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /**
     * The ChainIDs of a layer stack (OCI image spec): {@code chain[0] = diff[0]},
     * {@code chain[n] = sha256(chain[n-1] + " " + diff[n])}.
     */
    public static List<Digest> chainIds(List<Digest> diffIds) {
        Digest[] out = new Digest[diffIds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = i == 0 ? diffIds.get(0) : of((out[i - 1] + " " + diffIds.get(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return List.of(out);
    }

    /** The first 12 hex characters, as Docker shows short IDs. */
    public String shortHex() { return hex.substring(0, 12); }

    @Override public String toString() { return algorithm + ":" + hex; }
}
