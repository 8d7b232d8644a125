package io.berth.server.http;

import io.berth.api.ApiVersion;
import io.berth.api.errors.BerthException;
import io.berth.http.Handler;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker API's routing over a {@link Router}: paths may carry a {@code /v1.NN} prefix; with
 * or without it they reach the same route. No match (including a wrong method, as dockerd) is 404
 * {@code page not found}; a version outside the supported range is 400 with dockerd's messages.
 */
public final class ApiRouter implements Handler {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9.]+)(/.*)$");

    private final Router routes;
    private final ApiVersion min;
    private final ApiVersion max;

    /** Serves {@code routes} for API versions {@code min} to {@code max}. */
    public ApiRouter(Router routes, ApiVersion min, ApiVersion max) {
        this.routes = routes;
        this.min = min;
        this.max = max;
    }

    /** Serves {@code routes} for API versions 1.24 to 1.47. */
    public ApiRouter(Router routes) { this(routes, ApiVersion.MIN, ApiVersion.CURRENT); }

    /** Finds the route, checks the version and calls the handler; throws for no match. */
    @Override public void handle(Request request, Response response) throws Exception {
        String path = request.path();
        String versionText = null;
        Matcher vm = VERSION_PREFIX.matcher(path);
        if (vm.matches()) {
            versionText = vm.group(1);
            path = vm.group(2);
        }
        Router.Match match = routes.match(request.method(), path).orElseThrow(() -> new BerthException.NotFound("page not found"));
        if (versionText != null) {
            ApiVersion version = ApiVersion.parse(versionText);
            if (version.compareTo(max) > 0) {
                throw new BerthException.InvalidArgument("client version " + versionText
                        + " is too new. Maximum supported API version is " + max);
            }
            if (version.compareTo(min) < 0) {
                throw new BerthException.InvalidArgument("client version " + versionText
                        + " is too old. Minimum supported API version is " + min
                        + ", please upgrade your client to a newer version");
            }
        }
        match.handle(request, response);
    }

    /** The API version of the request's path prefix, or 1.47 when there is none. */
    public static ApiVersion version(Request request) {
        Matcher vm = VERSION_PREFIX.matcher(request.path());
        return vm.matches() ? ApiVersion.parse(vm.group(1)) : ApiVersion.CURRENT;
    }
}
