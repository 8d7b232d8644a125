package io.berth.engine.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context for one registry, from {@code <certsDir>/<host[:port]>/} as {@code /etc/docker/certs.d}: every
 * {@code *.crt} is a CA trusted besides the system's, {@code client.cert} + {@code client.key} (PEM, PKCS#8 or
 * PKCS#1 RSA) the client certificate. An insecure registry skips verification (chain and host name) entirely.
 */
final class RegistryTls {
    private final Path certsDir;

    RegistryTls(Path certsDir) {
        this.certsDir = certsDir;
    }

    SSLContext context(String hostPort, boolean skipVerify) throws IOException {
        Path dir = certsDir == null ? null : certsDir.resolve(hostPort);
        boolean hasDir = dir != null && Files.isDirectory(dir);
        try {
            if (!hasDir && !skipVerify) return SSLContext.getDefault();
            SSLContext ctx = SSLContext.getInstance("TLS");
            TrustManager[] trust = skipVerify ? new TrustManager[] {TrustAll.INSTANCE} : trustManagers(dir);
            ctx.init(hasDir ? keyManagers(dir) : null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid TLS configuration in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(Path dir) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        int n = 0;
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) for (X509Certificate c : x.getAcceptedIssuers()) store.setCertificateEntry("system-" + n++, c);
        }
        try (DirectoryStream<Path> crts = Files.newDirectoryStream(dir, "*.crt")) {
            for (Path crt : crts) {
                for (Certificate c : certificates(crt)) store.setCertificateEntry("ca-" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private static KeyManager[] keyManagers(Path dir) throws IOException, GeneralSecurityException {
        Path cert = dir.resolve("client.cert");
        Path key = dir.resolve("client.key");
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) return null;
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] none = new char[0];
        store.setKeyEntry("client", privateKey(Files.readString(key)), none, certificates(cert).toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, none);
        return kmf.getKeyManagers();
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        boolean ec = pem.contains("BEGIN EC PRIVATE KEY");
        if (ec) throw new GeneralSecurityException("EC keys in SEC1 form are not supported: convert client.key to PKCS#8");
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        if (pkcs1) der = pkcs1ToPkcs8(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }

    /** Wraps an RSAPrivateKey (PKCS#1) in a PrivateKeyInfo (PKCS#8). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] content = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, content, 0, version.length);
        System.arraycopy(algorithm, 0, content, version.length, algorithm.length);
        System.arraycopy(octets, 0, content, version.length + algorithm.length, octets.length);
        return der(0x30, content);
    }

    private static byte[] der(int tag, byte[] content) {
        int len = content.length;
        byte[] header;
        if (len < 0x80) header = new byte[] {(byte) tag, (byte) len};
        else if (len < 0x100) header = new byte[] {(byte) tag, (byte) 0x81, (byte) len};
        else if (len < 0x10000) header = new byte[] {(byte) tag, (byte) 0x82, (byte) (len >> 8), (byte) len};
        else header = new byte[] {(byte) tag, (byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        byte[] out = new byte[header.length + len];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, len);
        return out;
    }

    /** Accepts any certificate for any host: an extended trust manager, so JSSE adds no host name check of its own. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        static final TrustAll INSTANCE = new TrustAll();

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
