package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.ApiVersion;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.http.Headers;
import io.berth.http.HttpCodec;
import io.berth.http.Request;
import io.berth.http.Router;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRouterTest {
    final List<String> hits = new ArrayList<>();
    final ApiRouter router = new ApiRouter(Router.builder()
            .get("/images/json", (q, r) -> hits.add("list " + ApiRouter.version(q)))
            .get("/images/{name:.*}/json", (q, r) -> hits.add("inspect " + q.param("name") + " " + ApiRouter.version(q)))
            .delete("/images/{name:.*}", (q, r) -> hits.add("delete " + q.param("name")))
            .get("/containers/{id}/logs", (q, r) -> hits.add("logs " + q.param("id")))
            .build());

    Request req(String method, String target) {
        return Request.detached(new HttpCodec.RequestHead(method, target, "HTTP/1.1", new Headers()), java.io.InputStream.nullInputStream(), Json.wire());
    }

    void call(String method, String target) throws Exception {
        router.handle(req(method, target), null);
    }

    @Test void versionPrefixesReachTheSameRoute() throws Exception {
        call("GET", "/images/json");
        call("GET", "/v1.24/images/json");
        call("GET", "/v1.47/images/json");
        assertThat(hits).containsExactly("list 1.47", "list 1.24", "list 1.47");
    }

    @Test void namesMayHoldSlashesAndColons() throws Exception {
        call("GET", "/v1.41/images/localhost:5000/a/b:tag/json");
        call("DELETE", "/images/localhost:5000/a/b@sha256:0123");
        call("GET", "/containers/abc/logs?follow=1");
        assertThat(hits).containsExactly("inspect localhost:5000/a/b:tag 1.41", "delete localhost:5000/a/b@sha256:0123", "logs abc");
    }

    @Test void unknownPathsAndWrongMethodsArePageNotFound() {
        assertThatThrownBy(() -> call("GET", "/nope")).isInstanceOf(BerthException.NotFound.class).hasMessage("page not found");
        assertThatThrownBy(() -> call("POST", "/images/json")).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> call("GET", "/containers/a/b/logs")).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> call("GET", "/v1.47")).isInstanceOf(BerthException.NotFound.class);
    }

    @Test void versionsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> call("GET", "/v1.50/images/json")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("client version 1.50 is too new. Maximum supported API version is 1.47");
        assertThatThrownBy(() -> call("GET", "/v1.20/images/json")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("client version 1.20 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");
        assertThatThrownBy(() -> call("GET", "/v1.2.3/images/json")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiVersion.CURRENT).isEqualTo(new ApiVersion(1, 47));
    }
}
