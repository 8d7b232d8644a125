package io.berth.registry.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The users of an htpasswd file as {@code htpasswd -Bbn user password} writes it: {@code user:$2y$05$…} lines, bcrypt
 * only ({@code $2y$}, {@code $2a$}, {@code $2b$}); any other hash kind ({@code $apr1$}, {@code {SHA}}, crypt, plain)
 * is refused when the file is read, naming the line. Blank lines and {@code #} comments are skipped.
 * {@link #authenticate} costs one bcrypt computation whether the user exists or not, and bcrypt compares in constant
 * time, so neither the answer's timing nor its text tells a wrong user from a wrong password.
 */
public final class Htpasswd {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final BCrypt.Verifyer VERIFIER = BCrypt.verifyer(BCrypt.Version.VERSION_2Y,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

    private final Map<String, byte[]> hashes;
    /** Checked against when the user is unknown (at the cost of the file's first user), so that the time taken does not tell. */
    private final byte[] dummy;

    private Htpasswd(Map<String, byte[]> hashes) {
        this.hashes = Map.copyOf(hashes);
        int cost = hashes.values().stream().findFirst().map(h -> Integer.parseInt(new String(h, 4, 2, StandardCharsets.US_ASCII))).orElse(5);
        this.dummy = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(cost, UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads {@code file}; IllegalArgumentException (naming the file and line) on anything but bcrypt lines. */
    public static Htpasswd load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses htpasswd {@code lines}; {@code source} names them in errors. */
    public static Htpasswd parse(List<String> lines, String source) {
        Map<String, byte[]> hashes = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = source + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException(where + ": expected user:hash");
            String user = line.substring(0, colon), hash = line.substring(colon + 1);
            if (user.equals("*")) throw new IllegalArgumentException(where + ": \"*\" is not a user name (the access rules use it for any user)");
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + ": user " + user + " has a " + kind(hash)
                        + " hash; only bcrypt ($2y$, $2a$, $2b$) is supported: write the file with htpasswd -B");
            }
            if (hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII)) != null) {
                throw new IllegalArgumentException(where + ": user " + user + " appears twice");
            }
        }
        return new Htpasswd(hashes);
    }

    private static String kind(String hash) {
        if (hash.startsWith("$apr1$")) return "MD5 ($apr1$)";
        if (hash.startsWith("{SHA}")) return "SHA-1 ({SHA})";
        if (hash.startsWith("$2")) return "malformed bcrypt";
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) return "SHA-crypt";
        return "crypt or plain-text";
    }

    /** True if {@code user} exists and {@code password} is theirs. */
    public boolean authenticate(String user, String password) {
        byte[] hash = hashes.get(user);
        BCrypt.Result r = VERIFIER.verify(password.getBytes(StandardCharsets.UTF_8), hash == null ? dummy : hash);
        return hash != null && r.verified;
    }

    public boolean contains(String user) { return hashes.containsKey(user); }

    /**
     * A short digest of the user's stored hash, or empty for an unknown user: refresh tokens carry it, so changing a
     * password (or removing the user) revokes them.
     */
    public Optional<String> fingerprint(String user) {
        byte[] hash = hashes.get(user);
        if (hash == null) return Optional.empty();
        try {
            return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hash), 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() { return hashes.size(); }
}
