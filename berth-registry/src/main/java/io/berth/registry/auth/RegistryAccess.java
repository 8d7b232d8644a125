package io.berth.registry.auth;

import io.berth.http.Headers;
import java.util.List;

/**
 * Decides every request of the registry: with the request's headers ({@code Authorization}) and the scopes the
 * request needs (none for {@code GET /v2/} itself), either who is allowed, or a refusal the server answers as is
 * (401 with a {@code WWW-Authenticate} challenge, or 403 {@code DENIED}).
 */
public interface RegistryAccess {
    Decision check(Headers headers, List<Scope> needed);

    /** What {@link #check} decided. */
    sealed interface Decision permits Allowed, Refused {}

    /** Allowed; {@code subject} is the user name, or "" for anonymous access. */
    record Allowed(String subject) implements Decision {}

    /**
     * Refused: {@code status} 401 (with {@code challenge}, the {@code WWW-Authenticate} value) or 403; {@code code} is
     * the OCI error code ({@code UNAUTHORIZED}, {@code DENIED}) and {@code message} its text.
     */
    record Refused(int status, String challenge, String code, String message) implements Decision {}

    /** No authentication: everyone may do everything (a registry started without --htpasswd or a token realm). */
    RegistryAccess OPEN = (headers, needed) -> new Allowed("");
}
