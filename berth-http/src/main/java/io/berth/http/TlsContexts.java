package io.berth.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Server TLS contexts from the PEM files servers are usually given: a certificate chain and its private key. */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * An {@link SSLContext} serving the chain in {@code certPem} with the key in {@code keyPem} ({@code PRIVATE KEY}
     * PKCS#8 of RSA or EC, or {@code RSA PRIVATE KEY} PKCS#1). Fails with a message naming the file.
     */
    public static SSLContext fromPem(Path certPem, Path keyPem) throws IOException {
        try {
            List<? extends Certificate> chain;
            try (var in = Files.newInputStream(certPem)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) throw new IOException(certPem + ": no certificate");
            PrivateKey key = privateKey(keyPem, chain.getFirst().getPublicKey().getAlgorithm());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("server", key, pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS from " + certPem + " and " + keyPem + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path pem, String algorithm) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
        String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int a = text.indexOf("-----BEGIN " + label + "-----"), b = text.indexOf("-----END " + label + "-----");
        if (a < 0 || b < 0) throw new IOException(pem + ": no PKCS#8 PRIVATE KEY or RSA PRIVATE KEY block");
        byte[] der = Base64.getMimeDecoder().decode(text.substring(a + label.length() + 16, b));
        if (pkcs1) der = pkcs1ToPkcs8(der);
        return KeyFactory.getInstance(pkcs1 ? "RSA" : algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) throws IOException {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        var body = new java.io.ByteArrayOutputStream();
        body.write(new byte[] {0x02, 0x01, 0x00});
        body.write(algId);
        body.write(0x04);
        body.write(derLength(pkcs1.length));
        body.write(pkcs1);
        var out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.write(derLength(body.size()));
        body.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) return new byte[] {(byte) n};
        if (n < 0x100) return new byte[] {(byte) 0x81, (byte) n};
        if (n < 0x10000) return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

}
