package io.berth.registry.auth;

import io.berth.http.Headers;
import java.util.List;
import java.util.Optional;

/**
 * htpasswd Basic authentication ({@code --htpasswd} without a token realm): the user's password is checked on every
 * request, then the {@link AccessRules}. No or wrong credentials are a 401 with {@code Basic realm="berth registry"}
 * (unless anonymous clients are allowed what is needed), an authenticated user without the rights a 403 {@code DENIED}.
 */
public final class BasicAccess implements RegistryAccess {
    private final Htpasswd users;
    private final AccessRules rules;

    public BasicAccess(Htpasswd users, AccessRules rules) {
        this.users = users;
        this.rules = rules;
    }

    @Override public Decision check(Headers headers, List<Scope> needed) {
        String authorization = headers.get("Authorization");
        if (authorization == null) {
            boolean anonymousOk = needed.isEmpty() ? rules.anonymousMayPullSomething()
                    : needed.stream().allMatch(s -> rules.allows("", s));
            return anonymousOk ? new Allowed("") : Refusals.basic("authentication required");
        }
        Optional<BasicCredentials> creds = BasicCredentials.parse(authorization);
        if (creds.isEmpty() || !users.authenticate(creds.get().user(), creds.get().password())) {
            return Refusals.basic("invalid username or password");
        }
        String user = creds.get().user();
        return needed.stream().allMatch(s -> rules.allows(user, s)) ? new Allowed(user) : Refusals.denied();
    }
}
