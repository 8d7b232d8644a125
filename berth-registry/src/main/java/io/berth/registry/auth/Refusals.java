package io.berth.registry.auth;

import java.util.List;
import java.util.stream.Collectors;

/** The refusals the registry answers with: 401 with a Basic or Bearer challenge, 403 {@code DENIED}. */
final class Refusals {
    /** The Basic realm, as Docker's challenge handling shows it. */
    static final String BASIC_REALM = "berth registry";

    private Refusals() {}

    static RegistryAccess.Refused basic(String message) {
        return new RegistryAccess.Refused(401, "Basic realm=\"" + BASIC_REALM + "\"", "UNAUTHORIZED", message);
    }

    /**
     * {@code Bearer realm="…",service="…"[,scope="…"][,error="…"]}: the needed scopes space-separated in one
     * {@code scope} parameter, as distribution writes it; {@code error} is null, {@code invalid_token} or
     * {@code insufficient_scope}.
     */
    static RegistryAccess.Refused bearer(String realm, String service, List<Scope> needed, String error, String message) {
        StringBuilder c = new StringBuilder("Bearer realm=\"").append(quote(realm)).append("\",service=\"").append(quote(service)).append('"');
        if (!needed.isEmpty()) c.append(",scope=\"").append(quote(needed.stream().map(Scope::toString).collect(Collectors.joining(" ")))).append('"');
        if (error != null) c.append(",error=\"").append(error).append('"');
        return new RegistryAccess.Refused(401, c.toString(), "UNAUTHORIZED", message);
    }

    static RegistryAccess.Refused denied() {
        return new RegistryAccess.Refused(403, null, "DENIED", "requested access to the resource is denied");
    }

    private static String quote(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\""); }
}
