package io.berth.registry.auth;

import io.berth.http.Handler;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the serve command's options make of access: the {@link RegistryAccess} the server asks about every request,
 * and, with a token realm, the token service to route at {@link #tokenPath} ({@code GET} and {@code POST}).
 * <ul>
 *   <li>no option: {@link RegistryAccess#OPEN};</li>
 *   <li>{@code --token-realm}: {@link TokenAccess} with a {@link TokenEndpoint} (users from {@code --htpasswd}, or
 *       none: anonymous tokens only);</li>
 *   <li>otherwise ({@code --htpasswd}, {@code --access}, {@code --anonymous-pull}): {@link BasicAccess}.</li>
 * </ul>
 * Misconfiguration (an unreadable or non-bcrypt htpasswd, bad rules, a bad key, a realm that is no URL) fails here,
 * at startup, with a message naming the file.
 *
 * @param access        what decides every request
 * @param tokenEndpoint the token service's handler, with a realm
 * @param tokenPath     the path to serve it at (the realm's), or "" without
 * @param watch         what watches the htpasswd file for changes; {@link #close} stops it
 */
public record RegistryAuth(RegistryAccess access, Optional<Handler> tokenEndpoint, String tokenPath, AutoCloseable watch)
        implements AutoCloseable {
    /** The generated token key's place under the root. */
    public static final String KEY_FILE = "auth/token-key.pem";

    public static RegistryAuth from(AuthOptions o) throws IOException {
        return from(o, Clock.systemUTC());
    }

    static RegistryAuth from(AuthOptions o, Clock clock) throws IOException {
        boolean any = o.htpasswd().isPresent() || o.tokenRealm().isPresent() || o.accessFile().isPresent() || o.anonymousPull();
        if (!any) return new RegistryAuth(RegistryAccess.OPEN, Optional.empty(), "", () -> {});
        AccessRules rules = o.accessFile().isPresent() ? AccessRules.load(o.accessFile().get(), o.anonymousPull())
                : AccessRules.defaults(o.anonymousPull());
        Htpasswd none = Htpasswd.parse(List.of(), "(no users)");
        HtpasswdFile file = o.htpasswd().isPresent() ? HtpasswdFile.watch(o.htpasswd().get()) : null;
        Supplier<Htpasswd> users = file != null ? file : () -> none;
        AutoCloseable watch = file != null ? file : () -> {};
        try {
            return from(o, clock, rules, users, watch);
        } catch (IOException | RuntimeException e) {
            if (file != null) file.close();
            throw e;
        }
    }

    private static RegistryAuth from(AuthOptions o, Clock clock, AccessRules rules, Supplier<Htpasswd> users, AutoCloseable watch) throws IOException {
        if (o.tokenRealm().isEmpty()) return new RegistryAuth(new BasicAccess(users, rules, clock), Optional.empty(), "", watch);
        String realm = o.tokenRealm().get();
        URI uri;
        try {
            uri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--token-realm " + realm + " is not a URL", e);
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("--token-realm " + realm + " must be an absolute URL with a path, e.g. https://registry.example:5000/token");
        }
        SigningKey key = o.tokenKey().isPresent() ? SigningKey.load(o.tokenKey().get()) : SigningKey.loadOrGenerate(o.root().resolve(KEY_FILE));
        String service = o.tokenService().orElse(AuthOptions.DEFAULT_SERVICE);
        TokenAuthority tokens = new TokenAuthority(key, service, service, o.tokenTtl(), o.refreshTtl(), clock);
        return new RegistryAuth(new TokenAccess(tokens, rules, realm, clock), Optional.of(new TokenEndpoint(users, rules, tokens)), uri.getPath(), watch);
    }

    /** Stops watching the htpasswd file. */
    @Override public void close() {
        try {
            watch.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
