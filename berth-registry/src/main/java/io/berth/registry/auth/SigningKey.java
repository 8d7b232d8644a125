package io.berth.registry.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key the token service signs with and the registry verifies with: ES256 (P-256) or RS256 (RSA ≥ 2048 bits),
 * through the JDK's {@code java.security}. Kept as a PEM file with the PKCS#8 private key and, for EC, the public key
 * ({@code openssl genpkey -algorithm RSA -out k.pem}; for EC append {@code openssl pkey -in k.pem -pubout}).
 */
public final class SigningKey {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final String algorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(String algorithm, PrivateKey privateKey, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A fresh ES256 key. */
    public static SigningKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            return new SigningKey("ES256", kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key in {@code file}, generated there (mode 0600) when it does not exist yet. */
    public static SigningKey loadOrGenerate(Path file) throws IOException {
        if (Files.exists(file)) return load(file);
        SigningKey key = generate();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".token-key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, key.pem(), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return key;
    }

    /** Reads a PEM key file; IllegalArgumentException naming the file when it holds no usable key. */
    public static SigningKey load(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("token key " + file + ": " + e.getMessage(), e);
        }
    }

    static SigningKey parse(String pem) throws GeneralSecurityException {
        byte[] pkcs8 = null, spki = null;
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> pkcs8 = der;
                case "PUBLIC KEY" -> spki = der;
                default -> throw new IllegalArgumentException("unsupported PEM block " + m.group(1) + " (PKCS#8 PRIVATE KEY and PUBLIC KEY only)");
            }
        }
        if (pkcs8 == null) throw new IllegalArgumentException("no PRIVATE KEY block");
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException notEc) {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        if (key instanceof ECPrivateKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) throw new IllegalArgumentException("EC keys must be P-256 (ES256)");
            if (spki == null) throw new IllegalArgumentException("an EC key file must hold the PUBLIC KEY too (openssl pkey -pubout)");
            return new SigningKey("ES256", key, KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki)));
        }
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
        if (rsa.getModulus().bitLength() < 2048) throw new IllegalArgumentException("RSA keys must have at least 2048 bits");
        return new SigningKey("RS256", key, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())));
    }

    /** The JWS {@code alg}: {@code ES256} or {@code RS256}. */
    public String algorithm() { return algorithm; }

    byte[] sign(byte[] data) {
        try {
            Signature s = signature();
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean verify(byte[] data, byte[] signature) {
        try {
            Signature s = signature();
            s.initVerify(publicKey);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private Signature signature() throws GeneralSecurityException {
        return Signature.getInstance(algorithm.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
    }

    /** The private and the public key as PEM. */
    String pem() {
        return block("PRIVATE KEY", privateKey.getEncoded()) + block("PUBLIC KEY", publicKey.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
