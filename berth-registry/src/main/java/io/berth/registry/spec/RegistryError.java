package io.berth.registry.spec;

/**
 * A request the registry refuses, as the distribution spec names it: the HTTP status, the error {@code code}
 * ({@code BLOB_UNKNOWN}, {@code MANIFEST_INVALID}, …), its message and an optional detail. Extra response headers (a
 * {@code Range} on 416, a {@code WWW-Authenticate} challenge on 401) ride along.
 */
public final class RegistryError extends RuntimeException {
    private final int status;
    private final String code;
    private final Object detail;
    private final String headerName;
    private final String headerValue;

    public RegistryError(int status, String code, String message) { this(status, code, message, null, null, null); }

    public RegistryError(int status, String code, String message, Object detail, String headerName, String headerValue) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.headerName = headerName;
        this.headerValue = headerValue;
    }

    public int status() { return status; }

    public String code() { return code; }

    public Object detail() { return detail; }

    public String headerName() { return headerName; }

    public String headerValue() { return headerValue; }

    public static RegistryError blobUnknown(String digest) { return new RegistryError(404, "BLOB_UNKNOWN", "blob unknown to registry", digest, null, null); }

    public static RegistryError manifestUnknown(String ref) { return new RegistryError(404, "MANIFEST_UNKNOWN", "manifest unknown", ref, null, null); }

    public static RegistryError nameUnknown(String name) { return new RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry", name, null, null); }

    public static RegistryError nameInvalid(String name) { return new RegistryError(400, "NAME_INVALID", "invalid repository name", name, null, null); }

    public static RegistryError digestInvalid(String detail) { return new RegistryError(400, "DIGEST_INVALID", "provided digest did not match uploaded content", detail, null, null); }

    public static RegistryError manifestInvalid(String detail) { return new RegistryError(400, "MANIFEST_INVALID", "manifest invalid", detail, null, null); }

    public static RegistryError uploadUnknown(String id) { return new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id, null, null); }
}
