package io.berth.registry.spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest as the registry accepts it: {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
public record BlobDigest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public BlobDigest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) throw RegistryError.digestInvalid("invalid digest: " + algorithm + ":" + hex);
    }

    /** Parses {@code alg:hex}; a 400 {@code DIGEST_INVALID} otherwise. */
    public static BlobDigest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) throw RegistryError.digestInvalid("invalid digest: " + text);
        return new BlobDigest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (RegistryError e) {
            return false;
        }
    }

    /** A fresh hasher of this algorithm. */
    public MessageDigest hasher() { return hasher(algorithm); }

    public static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest a finished hasher of {@code algorithm} gives. */
    public static BlobDigest of(String algorithm, MessageDigest finished) {
        return new BlobDigest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    public static BlobDigest sha256(byte[] data) { return of("sha256", data); }

    private static MessageDigest digestOf(String algorithm, byte[] data) {
        MessageDigest md = hasher(algorithm);
        md.update(data);
        return md;
    }

    /** The digest of {@code data} with {@code algorithm}. */
    public static BlobDigest of(String algorithm, byte[] data) { return of(algorithm, digestOf(algorithm, data)); }

    @Override public String toString() { return algorithm + ":" + hex; }
}
