package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Credentials in the docker CLI's {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}), as its file store keeps them: {@code auths.<server>.auth} is base64 of
 * {@code user:password} (the password left empty when an identity token is kept in {@code identitytoken}); Docker
 * Hub's key is {@code https://index.docker.io/v1/}, other registries' their {@code host[:port]}. Other keys of the
 * file are kept as they are. Credential helpers ({@code credsStore}) are not used.
 */
final class CredentialStore {
    /** Docker Hub's key, {@code registry.IndexServer}. */
    static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private final Path file;

    CredentialStore(Path file) { this.file = file; }

    /** The store of a command's environment. */
    static CredentialStore of(Cli cli) {
        String dir = cli.env.get("DOCKER_CONFIG");
        if (dir == null || dir.isEmpty()) {
            String home = cli.env.getOrDefault("HOME", System.getProperty("user.home"));
            return new CredentialStore(Path.of(home, ".docker", "config.json"));
        }
        return new CredentialStore(Path.of(dir, "config.json"));
    }

    Path file() { return file; }

    /** The key of an image's registry: Docker Hub's index server, or the registry's {@code host[:port]}. */
    static String serverFor(Reference ref) {
        return ref.domain().equals(Reference.DEFAULT_DOMAIN) ? INDEX_SERVER : ref.domain();
    }

    /** credentials.ConvertToHostname: without scheme and path. */
    static String hostname(String server) {
        String s = server;
        if (s.startsWith("http://")) s = s.substring(7);
        else if (s.startsWith("https://")) s = s.substring(8);
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }

    /** The stored credentials for {@code server} (matched exactly, else by host name), with {@code serveraddress} set. */
    AuthConfig get(String server) {
        JsonNode auths = read().path("auths");
        JsonNode entry = auths.get(server);
        if (entry == null && !server.equals(INDEX_SERVER)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (hostname(e.getKey()).equals(hostname(server))) {
                    entry = e.getValue();
                    break;
                }
            }
        }
        if (entry == null) return new AuthConfig(null, null, null, null, server, null, null);
        String user = null, password = null;
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String up = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = up.indexOf(':');
            if (colon >= 0) {
                user = up.substring(0, colon);
                password = up.substring(colon + 1);
            }
        }
        String token = entry.path("identitytoken").asText("");
        return new AuthConfig(user, password == null || password.isEmpty() ? null : password, null, null, server, token.isEmpty() ? null : token, null);
    }

    /** The {@code X-Registry-Auth} value for pulling or pushing {@code ref}. */
    String header(Reference ref) {
        return RegistryAuthHeader.encode(get(serverFor(ref)));
    }

    /** Stores {@code c} under {@code server}: the identity token in place of the password when there is one. */
    void store(String server, AuthConfig c) {
        ObjectNode root = read();
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths") : root.putObject("auths");
        ObjectNode entry = auths.putObject(server);
        String password = c.identityToken() != null ? "" : c.password() == null ? "" : c.password();
        String user = c.username() == null ? "" : c.username();
        entry.put("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        if (c.identityToken() != null) entry.put("identitytoken", c.identityToken());
        write(root);
    }

    /** Removes {@code server}'s entry; true if there was one. */
    boolean erase(String server) {
        ObjectNode root = read();
        if (!(root.get("auths") instanceof ObjectNode auths) || auths.remove(server) == null) return false;
        write(root);
        return true;
    }

    private ObjectNode read() {
        try {
            if (!Files.exists(file)) return Json.plain().createObjectNode();
            JsonNode n = Json.plain().readTree(file.toFile());
            return n instanceof ObjectNode o ? o : Json.plain().createObjectNode();
        } catch (IOException e) {
            throw new Main.CliException("loading config file: " + file + ": " + e.getMessage());
        }
    }

    private void write(ObjectNode root) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config.json", "");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.write(tmp, Json.plain().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Error saving credentials: " + e.getMessage(), e);
        }
    }
}
