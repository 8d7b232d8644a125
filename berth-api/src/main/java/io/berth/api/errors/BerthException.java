package io.berth.api.errors;

/**
 * The one family of errors Berth raises to its callers. The server maps each kind to the HTTP
 * status Docker uses, in exactly one place; the message is what the user sees.
 */
public abstract sealed class BerthException extends RuntimeException {
    protected BerthException(String message, Throwable cause) { super(message, cause); }

    /** 404: no such object. */
    public static final class NotFound extends BerthException {
        public NotFound(String message) { super(message, null); }
    }

    /** 400: malformed or invalid input. */
    public static final class InvalidArgument extends BerthException {
        public InvalidArgument(String message) { super(message, null); }
        public InvalidArgument(String message, Throwable cause) { super(message, cause); }
    }

    /** 409: the object's state forbids the request (in use, already exists, running). */
    public static final class Conflict extends BerthException {
        public Conflict(String message) { super(message, null); }
    }

    /** 401: credentials missing or refused. */
    public static final class Unauthorized extends BerthException {
        public Unauthorized(String message) { super(message, null); }
    }

    /** 403: the request is understood but not allowed. */
    public static final class Forbidden extends BerthException {
        public Forbidden(String message) { super(message, null); }
    }

    /** 501: a feature Berth does not have. */
    public static final class NotImplemented extends BerthException {
        public NotImplemented(String message) { super(message, null); }
    }

    /** 503: a dependency (registry, runtime) is unreachable, or a service this node does not provide (swarm). */
    public static final class Unavailable extends BerthException {
        public Unavailable(String message, Throwable cause) { super(message, cause); }
    }

    /** 500: a failure of the host (I/O, kernel) while doing a valid request. */
    public static final class SystemError extends BerthException {
        public SystemError(String message, Throwable cause) { super(message, cause); }
    }
}
