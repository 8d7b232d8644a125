package io.berth.registry.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The serve command's authentication options.
 *
 * @param root          the registry's root ({@code --root}): the token key is generated under {@code auth/} there
 * @param htpasswd      {@code --htpasswd FILE}: bcrypt users
 * @param tokenRealm    {@code --token-realm URL}: serve the token service (at the URL's path) and require its tokens
 * @param tokenService  {@code --token-service NAME}: the tokens' audience and the challenge's {@code service}
 * @param tokenKey      {@code --token-key FILE}: a PEM key to sign with instead of the generated one
 * @param accessFile    {@code --access FILE}: the access rules (JSON)
 * @param anonymousPull {@code --anonymous-pull}: anonymous clients may pull every repository
 * @param tokenTtl      how long an access token is valid
 * @param refreshTtl    how long a refresh (identity) token is valid
 */
public record AuthOptions(Path root, Optional<Path> htpasswd, Optional<String> tokenRealm, Optional<String> tokenService,
                          Optional<Path> tokenKey, Optional<Path> accessFile, boolean anonymousPull, Duration tokenTtl,
                          Duration refreshTtl) {
    public static final String DEFAULT_SERVICE = "berth-registry";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REFRESH_TTL = Duration.ofDays(30);

    /** Options with nothing set: an open registry. */
    public static AuthOptions none(Path root) {
        return new AuthOptions(root, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, DEFAULT_TOKEN_TTL, DEFAULT_REFRESH_TTL);
    }

    public AuthOptions withHtpasswd(Path file) {
        return new AuthOptions(root, Optional.of(file), tokenRealm, tokenService, tokenKey, accessFile, anonymousPull, tokenTtl, refreshTtl);
    }

    public AuthOptions withTokenRealm(String realm, String service) {
        return new AuthOptions(root, htpasswd, Optional.of(realm), Optional.ofNullable(service), tokenKey, accessFile, anonymousPull, tokenTtl, refreshTtl);
    }

    public AuthOptions withAccessFile(Path file) {
        return new AuthOptions(root, htpasswd, tokenRealm, tokenService, tokenKey, Optional.of(file), anonymousPull, tokenTtl, refreshTtl);
    }

    public AuthOptions withAnonymousPull(boolean on) {
        return new AuthOptions(root, htpasswd, tokenRealm, tokenService, tokenKey, accessFile, on, tokenTtl, refreshTtl);
    }

    public AuthOptions withTokenKey(Path file) {
        return new AuthOptions(root, htpasswd, tokenRealm, tokenService, Optional.of(file), accessFile, anonymousPull, tokenTtl, refreshTtl);
    }
}
