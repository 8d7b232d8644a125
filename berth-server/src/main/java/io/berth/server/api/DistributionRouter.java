package io.berth.server.api;

import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.ProgressSink;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * moby's distribution and registry routes: pull ({@code POST /images/create?fromImage=}, registered by
 * {@link ImagesRouter} which hands it here), {@code POST /images/{name}/push}, {@code POST /auth},
 * {@code GET /distribution/{name}/json} and {@code GET /images/search}.
 *
 * <p>Pull and push answer with a stream that starts at the first progress message: an error before it (a bad
 * reference, refused credentials, an image that is not local) gets its own HTTP status, as dockerd answers before
 * its first flush; the docker CLI needs the 401 to ask for credentials and retry a push.
 */
public final class DistributionRouter implements Router.Routes {
    private final DistributionService distribution;

    public DistributionRouter(DistributionService distribution) { this.distribution = distribution; }

    @Override public void register(Router.Builder r) {
        r.post("/images/{name:.*}/push", this::push)
                .post("/auth", (req, res) -> res.json(200, distribution.login(req.json(AuthConfig.class))))
                .get("/distribution/{name:.*}/json", (req, res) ->
                        res.json(200, distribution.inspect(req.param("name"), RegistryAuthHeader.decode(authHeader(req)))))
                .get("/images/search", (req, res) -> res.json(200, distribution.search(req.query("term", ""),
                        (int) req.longValue("limit", 25), Filters.parse(req.query("filters")),
                        RegistryAuthHeader.decodeLeniently(authHeader(req)))));
    }

    /**
     * {@code POST /images/create?fromImage=&tag=&platform=}. A trailing ':' is trimmed (older CLIs send {@code name:}
     * for {@code pull -a}); as in moby, a name without tag or digest and no {@code tag} pulls every tag (the docker CLI
     * v28 sends {@code pull -a} so, and {@code tag=latest} for a plain pull).
     */
    void pull(Request req, Response res) {
        String name = req.query("fromImage", "");
        String tag = emptyToNull(req.query("tag"));
        if (name.endsWith(":")) name = name.substring(0, name.length() - 1);
        boolean nameOnly = !name.contains("@") && name.lastIndexOf(':') <= name.lastIndexOf('/');
        boolean allTags = tag == null && nameOnly;
        var request = new DistributionService.PullRequest(name, tag, allTags, emptyToNull(req.query("platform")),
                RegistryAuthHeader.decodeLeniently(authHeader(req)));
        distribution.pull(request, lazyStream(res));
    }

    private void push(Request req, Response res) {
        var request = new DistributionService.PushRequest(req.param("name"), emptyToNull(req.query("tag")),
                emptyToNull(req.query("platform")), RegistryAuthHeader.decode(authHeader(req)));
        distribution.push(request, lazyStream(res));
    }

    private static String authHeader(Request req) { return req.headers().get("X-Registry-Auth"); }

    /** A progress sink whose response begins with its first message. */
    static ProgressSink lazyStream(Response res) {
        return new ProgressSink() {
            private OutputStream out;

            @Override public synchronized void send(JsonMessage m) {
                try {
                    if (out == null) out = res.stream(200, "application/json");
                    out.write(Json.wire().writeValueAsBytes(m));
                    out.write('\r');
                    out.write('\n');
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
