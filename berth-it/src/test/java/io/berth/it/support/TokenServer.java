package io.berth.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' own token server for distribution's {@code auth.token}: on loopback, it answers Docker's token requests
 * ({@code GET realm?service&scope&account} with or without Basic credentials, and the OAuth {@code POST} with
 * {@code grant_type=password|refresh_token}) with an RS256 JWT whose header carries the signing certificate as
 * {@code x5c}, so distribution 2.8 verifies it against {@link #certificate()} (its {@code rootcertbundle}).
 * Anonymous requests get a token with no access; a known user gets what it asked for. {@code offline_token=true}
 * (or the OAuth POST) also returns a refresh token, which login turns into the identity token.
 */
public final class TokenServer implements AutoCloseable {
    /** The {@code service} and {@code issuer} the registry is configured with. */
    public static final String SERVICE = "berth-test-registry";
    public static final String ISSUER = "berth-test-issuer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final Path certFile;
    private final String user;
    private final String password;
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    /** Every request's method, query and whether it had credentials, for assertions on the flow. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    /** Generates a key and a self-signed certificate with openssl in {@code dir} and starts serving. */
    public TokenServer(Path dir, String user, String password) {
        this.user = user;
        this.password = password;
        try {
            Path keyFile = dir.resolve("token.key");
            certFile = dir.resolve("token.crt");
            Cmd.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(), "-out",
                    certFile.toString(), "-days", "2", "-subj", "/CN=berth-test-token").run().ok();
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(keyFile))));
            try (var in = Files.newInputStream(certFile)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/token", this::handle);
        server.start();
    }

    /** The PEM certificate file to give the registry as {@code rootcertbundle}. */
    public Path certificate() { return certFile; }

    /** The token endpoint, the registry's {@code realm}. */
    public String realm() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/token"; }

    /** A token for {@code scopes} as the configured user would get it (for the tests' own registry calls). */
    public String tokenFor(List<String> scopes) { return jwt(user, scopes); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getRawQuery();
            Map<String, List<String>> params = form(query);
            if (ex.getRequestMethod().equals("POST")) {
                params.putAll(form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(ex.getRequestMethod() + " " + (query == null ? "" : query) + (auth != null ? " [credentials]" : ""));
            String subject;
            boolean offline = "true".equals(first(params, "offline_token"));
            if (ex.getRequestMethod().equals("POST")) {
                String grant = first(params, "grant_type");
                if ("password".equals(grant)) {
                    subject = user.equals(first(params, "username")) && password.equals(first(params, "password")) ? user : null;
                } else if ("refresh_token".equals(grant)) {
                    subject = refreshTokens.get(String.valueOf(first(params, "refresh_token")));
                } else {
                    subject = null;
                }
                offline = true;
                if (subject == null) {
                    send(ex, 401, Map.of("error", "invalid_grant"));
                    return;
                }
            } else if (auth != null) {
                String[] up = basic(auth);
                if (up == null || !up[0].equals(user) || !up[1].equals(password)) {
                    send(ex, 401, Map.of("details", "incorrect username or password"));
                    return;
                }
                subject = user;
            } else {
                subject = "";
            }
            List<String> scopes = new ArrayList<>();
            for (String s : params.getOrDefault("scope", List.of())) scopes.addAll(List.of(s.split(" ")));
            String token = jwt(subject, subject.isEmpty() ? List.of() : scopes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", 300);
            body.put("issued_at", Instant.now().toString());
            if (offline && !subject.isEmpty()) {
                String refresh = UUID.randomUUID().toString();
                refreshTokens.put(refresh, subject);
                body.put("refresh_token", refresh);
            }
            send(ex, 200, body);
        }
    }

    private String jwt(String subject, List<String> scopes) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
            Map<String, List<String>> byName = new LinkedHashMap<>();
            for (String s : scopes) {
                String[] p = s.split(":");
                if (p.length != 3 || !p[0].equals("repository")) continue;
                byName.computeIfAbsent(p[1], k -> new ArrayList<>()).addAll(List.of(p[2].split(",")));
            }
            List<Map<String, Object>> access = new ArrayList<>();
            byName.forEach((name, actions) -> access.add(Map.of("type", "repository", "name", name, "actions",
                    actions.contains("*") ? List.of("pull", "push", "delete") : actions.stream().distinct().toList())));
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", ISSUER);
            claims.put("sub", subject);
            claims.put("aud", SERVICE);
            claims.put("exp", now + 300);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("access", access);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signed = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64.encodeToString(sig.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] basic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String up = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = up.indexOf(':');
        return colon < 0 ? null : new String[] {up.substring(0, colon), up.substring(colon + 1)};
    }

    private static Map<String, List<String>> form(String s) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) return m;
        for (String kv : s.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static String first(Map<String, List<String>> m, String k) {
        List<String> v = m.get(k);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }

    @Override public void close() { server.stop(0); }
}
