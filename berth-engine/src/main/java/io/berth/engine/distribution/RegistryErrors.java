package io.berth.engine.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.oci.Reference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Registry error answers as Docker reports them: the {@code {"errors":[{"code","message"}]}} body read as
 * distribution's {@code errcode} ("denied: requested access to the resource is denied"), and turned into the
 * {@link BerthException} of the matching HTTP status, or, for a pull, into moby's {@code translatePullError} texts.
 */
final class RegistryErrors {
    /** distribution's default messages, for error entries without one. */
    private static final Map<String, String> DEFAULT_MESSAGES = Map.of(
            "UNAUTHORIZED", "authentication required",
            "DENIED", "requested access to the resource is denied",
            "NAME_UNKNOWN", "repository name not known to registry",
            "MANIFEST_UNKNOWN", "manifest unknown",
            "BLOB_UNKNOWN", "blob unknown to registry",
            "TOOMANYREQUESTS", "too many requests",
            "UNSUPPORTED", "The operation is unsupported.");

    private RegistryErrors() {}

    /** One entry of a registry's error body. */
    record RegistryError(String code, String message) {
        /** errcode's text: the code in lower case with spaces, then the message. */
        String text() { return code.toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + message; }
    }

    /** The entries of an error body; when there are none, one made from the status (and a token server's "details"). */
    static List<RegistryError> parse(int status, HttpHeaders headers, byte[] body) {
        List<RegistryError> out = new ArrayList<>();
        Challenge.from(headers).filter(Challenge::isBearer).ifPresent(c -> {
            String error = c.param("error");
            String code = "invalid_token".equals(error) ? "UNAUTHORIZED" : "insufficient_scope".equals(error) ? "DENIED" : null;
            if (code != null) {
                String description = c.param("error_description");
                out.add(new RegistryError(code, description == null || description.isEmpty() ? DEFAULT_MESSAGES.get(code) : description));
            }
        });
        try {
            JsonNode root = body == null || body.length == 0 ? null : Json.plain().readTree(body);
            if (root != null && root.path("errors").isArray()) {
                for (JsonNode e : root.path("errors")) {
                    String code = e.path("code").asText("UNKNOWN").toUpperCase(Locale.ROOT);
                    String message = e.path("message").asText("");
                    if (message.isEmpty()) message = DEFAULT_MESSAGES.getOrDefault(code, "unknown error");
                    if (out.stream().noneMatch(o -> o.code().equals(code))) out.add(new RegistryError(code, message));
                }
            } else if (root != null && status == 401 && root.hasNonNull("details") && out.isEmpty()) {
                out.add(new RegistryError("UNAUTHORIZED", root.get("details").asText()));
            }
        } catch (IOException | RuntimeException notJson) {
            // a body that is not distribution's JSON: described by its status below
        }
        if (out.isEmpty()) {
            if (status == 401) out.add(new RegistryError("UNAUTHORIZED", DEFAULT_MESSAGES.get("UNAUTHORIZED")));
            else if (status == 403) out.add(new RegistryError("DENIED", DEFAULT_MESSAGES.get("DENIED")));
            else if (status == 429) out.add(new RegistryError("TOOMANYREQUESTS", DEFAULT_MESSAGES.get("TOOMANYREQUESTS")));
        }
        return out;
    }

    /** The text of an error answer: the entries' texts, or "received unexpected HTTP status: 500 …" without any. */
    static String text(int status, List<RegistryError> errors) {
        if (errors.isEmpty()) return "received unexpected HTTP status: " + status + " " + reason(status);
        if (errors.size() == 1) return errors.getFirst().text();
        return errors.stream().map(RegistryError::text).collect(Collectors.joining("\n", "errors:\n", "\n"));
    }

    /** The exception of an error answer, by its first code (or its status): moby's {@code statusCodeFromDistributionError}. */
    static BerthException toException(int status, List<RegistryError> errors) {
        String text = text(status, errors);
        String code = errors.isEmpty() ? "" : errors.getFirst().code();
        return switch (code) {
            case "UNAUTHORIZED" -> new BerthException.Unauthorized(text);
            case "DENIED" -> new BerthException.Forbidden(text);
            case "NAME_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN" -> new BerthException.NotFound(text);
            case "TOOMANYREQUESTS" -> new BerthException.Unavailable(text, null);
            default -> status == 401 ? new BerthException.Unauthorized(text)
                    : status == 403 ? new BerthException.Forbidden(text)
                    : status == 404 ? new BerthException.NotFound(text)
                    : status >= 500 ? new BerthException.Unavailable(text, null)
                    : new BerthException.InvalidArgument(text);
        };
    }

    /**
     * moby's {@code translatePullError}: access denied (or an insufficient scope) is "pull access denied for …",
     * an unknown repository "repository … not found"; the rest as {@link #toException}. Only the first error
     * counts, as in moby.
     */
    static BerthException forPull(Reference repository, int status, List<RegistryError> errors) {
        String code = errors.isEmpty() ? "" : errors.getFirst().code();
        String text = text(status, errors.isEmpty() ? errors : errors.subList(0, 1));
        return switch (code) {
            case "DENIED" -> new BerthException.NotFound("pull access denied for " + repository.familiarName()
                    + ", repository does not exist or may require 'docker login': " + text);
            case "NAME_UNKNOWN" -> new BerthException.NotFound("repository " + repository.familiarName() + " not found: " + text);
            default -> toException(status, errors);
        };
    }

    /** The same kind of exception with {@code message} (a failure of the token server reported on the request it was for). */
    static BerthException withMessage(BerthException e, String message) {
        return switch (e) {
            case BerthException.Unauthorized u -> new BerthException.Unauthorized(message);
            case BerthException.Forbidden f -> new BerthException.Forbidden(message);
            case BerthException.NotFound n -> new BerthException.NotFound(message);
            case BerthException.InvalidArgument i -> new BerthException.InvalidArgument(message, e);
            case BerthException.Conflict c -> new BerthException.Conflict(message);
            case BerthException.NotImplemented n -> new BerthException.NotImplemented(message);
            case BerthException.Unavailable u -> new BerthException.Unavailable(message, e.getCause());
            case BerthException.SystemError s -> new BerthException.SystemError(message, e.getCause());
        };
    }

    /** Go's {@code url.Error} text: {@code Get "https://host/v2/": <cause>}. */
    static String urlError(String method, URI uri, String cause) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT) + " \"" + uri + "\": " + cause;
    }

    /** A connection failure as Go words it: {@code dial tcp 127.0.0.1:5000: connect: connection refused}. */
    static String connectionText(URI uri, IOException e) {
        if (e instanceof ConnectException) {
            int port = uri.getPort() >= 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
            return "dial tcp " + uri.getHost() + ":" + port + ": connect: connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** The registry could not be reached: Unavailable with Go's wording of the failed request. */
    static BerthException.Unavailable unreachable(String method, URI uri, IOException e) {
        return new BerthException.Unavailable(urlError(method, uri, connectionText(uri, e)), e);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 416 -> "Requested Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    /** {@code 401 Unauthorized}, as Go's {@code resp.Status}. */
    static String status(int status) { return (status + " " + reason(status)).trim(); }
}
