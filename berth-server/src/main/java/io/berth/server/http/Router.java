package io.berth.server.http;

import io.berth.api.ApiVersion;
import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path to a handler. Paths may carry a {@code /v1.NN} prefix; with or without it
 * they reach the same route. Patterns are literal segments and parameters: {@code {id}} matches
 * one segment, {@code {name:.*}} any text including {@code /} and {@code :}. Routes are tried in
 * the order they were added. No match (including a wrong method, as dockerd) is 404
 * {@code page not found}; a version outside 1.24…1.47 is 400 with dockerd's messages.
 */
public final class Router {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9.]+)(/.*)$");
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)(?::([^}]*))?}");

    /** Serves one matched request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Response response) throws Exception;
    }

    /** Something that contributes routes: one per API resource. */
    public interface Routes {
        void register(Builder router);
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) {}

    private final List<Route> routes;
    private final ApiVersion min;
    private final ApiVersion max;

    private Router(List<Route> routes, ApiVersion min, ApiVersion max) {
        this.routes = List.copyOf(routes);
        this.min = min;
        this.max = max;
    }

    public static Builder builder() { return new Builder(); }

    /** Finds the route, checks the version and calls the handler; throws for no match. */
    public void dispatch(Request request, Response response) throws Exception {
        String path = request.path();
        ApiVersion version = null;
        String versionText = null;
        Matcher vm = VERSION_PREFIX.matcher(path);
        if (vm.matches()) {
            versionText = vm.group(1);
            path = vm.group(2);
        }
        for (Route r : routes) {
            if (!r.method.equals(request.method())) continue;
            Matcher m = r.pattern.matcher(path);
            if (!m.matches()) continue;
            if (versionText != null) {
                version = ApiVersion.parse(versionText);
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
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.names.size(); i++) params.put(r.names.get(i), m.group(i + 1));
            request.route(version == null ? max : version, params);
            r.handler.handle(request, response);
            return;
        }
        throw new BerthException.NotFound("page not found");
    }

    /** Collects routes. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private ApiVersion min = ApiVersion.MIN;
        private ApiVersion max = ApiVersion.CURRENT;

        public Builder versions(ApiVersion min, ApiVersion max) {
            this.min = min;
            this.max = max;
            return this;
        }

        public Builder get(String pattern, Handler h) { return route("GET", pattern, h); }

        public Builder head(String pattern, Handler h) { return route("HEAD", pattern, h); }

        public Builder post(String pattern, Handler h) { return route("POST", pattern, h); }

        public Builder put(String pattern, Handler h) { return route("PUT", pattern, h); }

        public Builder delete(String pattern, Handler h) { return route("DELETE", pattern, h); }

        public Builder route(String method, String pattern, Handler h) {
            List<String> names = new ArrayList<>();
            StringBuilder re = new StringBuilder("^");
            Matcher m = PARAM.matcher(pattern);
            int last = 0;
            while (m.find()) {
                re.append(Pattern.quote(pattern.substring(last, m.start())));
                names.add(m.group(1));
                re.append('(').append(m.group(2) == null ? "[^/]+" : m.group(2).replace("(", "(?:")).append(')');
                last = m.end();
            }
            re.append(Pattern.quote(pattern.substring(last))).append('$');
            routes.add(new Route(method, Pattern.compile(re.toString()), names, h));
            return this;
        }

        public Builder add(Routes group) {
            group.register(this);
            return this;
        }

        public Router build() { return new Router(routes, min, max); }
    }
}
