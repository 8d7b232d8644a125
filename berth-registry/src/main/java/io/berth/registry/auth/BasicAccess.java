package io.berth.registry.auth;

import io.berth.http.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * htpasswd Basic authentication ({@code --htpasswd} without a token realm): the user's password is checked on every
 * request, then the {@link AccessRules}. No or wrong credentials are a 401 with {@code Basic realm="berth registry"}
 * (unless anonymous clients are allowed what is needed), an authenticated user without the rights a 403 {@code DENIED}.
 * A bcrypt round costs milliseconds, so a header that verified is remembered for a minute, by an HMAC under a key
 * of this process (never the password itself), and forgotten when the htpasswd file is reloaded.
 */
public final class BasicAccess implements RegistryAccess {
    /** A header that verified against one version of the users. */
    private record Verified(String user, Htpasswd against) {}

    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int CACHE_LIMIT = 1024;

    private final Supplier<Htpasswd> users;
    private final AccessRules rules;
    private final Clock clock;
    private final ExpiringCache<String, Verified> verified;
    private final SecretKeySpec macKey;

    public BasicAccess(Supplier<Htpasswd> users, AccessRules rules, Clock clock) {
        this.users = users;
        this.rules = rules;
        this.clock = clock;
        this.verified = new ExpiringCache<>(CACHE_LIMIT, clock);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.macKey = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override public Decision check(Headers headers, List<Scope> needed) {
        String authorization = headers.get("Authorization");
        if (authorization == null) {
            boolean anonymousOk = needed.isEmpty() ? rules.anonymousMayPullSomething()
                    : needed.stream().allMatch(s -> rules.allows("", s));
            return anonymousOk ? new Allowed("") : Refusals.basic("authentication required");
        }
        String user = authenticate(authorization);
        if (user == null) return Refusals.basic("invalid username or password");
        return needed.stream().allMatch(s -> rules.allows(user, s)) ? new Allowed(user) : Refusals.denied();
    }

    /** The user {@code authorization} proves, or null. */
    private String authenticate(String authorization) {
        Htpasswd now = users.get();
        String key = mac(authorization);
        Verified known = verified.get(key);
        if (known != null && known.against() == now) return known.user();
        Optional<BasicCredentials> creds = BasicCredentials.parse(authorization);
        if (creds.isEmpty() || !now.authenticate(creds.get().user(), creds.get().password())) return null;
        verified.put(key, new Verified(creds.get().user(), now), clock.instant().plus(REMEMBER));
        return creds.get().user();
    }

    private String mac(String authorization) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return HexFormat.of().formatHex(mac.doFinal(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
