package io.berth.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path to a handler. Patterns are literal segments and parameters: {@code {id}}
 * matches one segment, {@code {name:.*}} any text including {@code /} and {@code :}. Routes are
 * tried in the order they were added. As a {@link Handler} it routes on the request's path and
 * answers no match (including a wrong method) with a 404 {@code page not found}; a front that
 * strips a prefix first (Docker's {@code /v1.NN}) calls {@link #match} itself.
 */
public final class Router implements Handler {
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)(?::([^}]*))?}");

    /** Something that contributes routes: one per API resource. */
    public interface Routes {
        void register(Builder router);
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) {}

    /** A matched route with the values of its path parameters. */
    public record Match(Handler handler, Map<String, String> params) {
        /** Gives the request its path parameters and calls the handler. */
        public void handle(Request request, Response response) throws Exception {
            request.params(params);
            handler.handle(request, response);
        }
    }

    private final List<Route> routes;

    private Router(List<Route> routes) { this.routes = List.copyOf(routes); }

    public static Builder builder() { return new Builder(); }

    /** The first route for {@code method} whose pattern matches all of {@code path}. */
    public Optional<Match> match(String method, String path) {
        for (Route r : routes) {
            if (!r.method.equals(method)) continue;
            Matcher m = r.pattern.matcher(path);
            if (!m.matches()) continue;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.names.size(); i++) params.put(r.names.get(i), m.group(i + 1));
            return Optional.of(new Match(r.handler, params));
        }
        return Optional.empty();
    }

    @Override public void handle(Request request, Response response) throws Exception {
        Match m = match(request.method(), request.path())
                .orElseThrow(() -> new HttpProtocolException(404, "page not found"));
        m.handle(request, response);
    }

    /** Collects routes. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

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

        public Router build() { return new Router(routes); }
    }
}
