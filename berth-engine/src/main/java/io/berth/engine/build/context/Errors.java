package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;

/** Go's {@code errors.Wrap} for Berth's errors: a prefixed message, the same kind (and so the same HTTP status). */
public final class Errors {
    private Errors() {}

    public static BerthException wrap(String prefix, BerthException e) {
        String m = prefix + ": " + e.getMessage();
        return switch (e) {
            case BerthException.NotFound x -> new BerthException.NotFound(m);
            case BerthException.InvalidArgument x -> new BerthException.InvalidArgument(m, x);
            case BerthException.Conflict x -> new BerthException.Conflict(m);
            case BerthException.Unauthorized x -> new BerthException.Unauthorized(m);
            case BerthException.Forbidden x -> new BerthException.Forbidden(m);
            case BerthException.NotImplemented x -> new BerthException.NotImplemented(m);
            case BerthException.Unavailable x -> new BerthException.Unavailable(m, x);
            case BerthException.SystemError x -> new BerthException.SystemError(m, x);
        };
    }
}
