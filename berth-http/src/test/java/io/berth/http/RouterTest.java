package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    final List<String> hits = new ArrayList<>();
    final Router router = Router.builder()
            .get("/v2/{name:.*}/manifests/{reference}", (q, r) -> hits.add("manifest " + q.param("name") + " " + q.param("reference")))
            .delete("/images/{name:.*}", (q, r) -> hits.add("delete " + q.param("name")))
            .get("/containers/{id}/logs", (q, r) -> hits.add("logs " + q.param("id")))
            .build();

    static Request req(String method, String target) { return req(method, target, ""); }

    static Request req(String method, String target, String body) {
        return Request.detached(new HttpCodec.RequestHead(method, target, "HTTP/1.1", new Headers()),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), new ObjectMapper());
    }

    @Test void namesMayHoldSlashesAndColons() throws Exception {
        router.handle(req("GET", "/v2/localhost:5000/a/b/manifests/sha256:0123"), null);
        router.handle(req("DELETE", "/images/localhost:5000/a/b@sha256:0123"), null);
        router.handle(req("GET", "/containers/abc/logs?follow=1"), null);
        assertThat(hits).containsExactly("manifest localhost:5000/a/b sha256:0123", "delete localhost:5000/a/b@sha256:0123", "logs abc");
    }

    @Test void matchGivesTheHandlerAndParameters() {
        assertThat(router.match("GET", "/containers/abc/logs")).get().extracting(Router.Match::params).isEqualTo(Map.of("id", "abc"));
        assertThat(router.match("POST", "/containers/abc/logs")).isEmpty();
        assertThat(router.match("GET", "/containers/a/b/logs")).isEmpty();
    }

    @Test void noRouteIs404PageNotFound() {
        assertThatThrownBy(() -> router.handle(req("GET", "/nope"), null))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(404)).hasMessage("page not found");
        assertThat(hits).isEmpty();
    }

    @Test void jsonBodiesUseTheServersMapper() throws Exception {
        assertThat(req("POST", "/x", "{\"a\":1}").json(Map.class)).isEqualTo(Map.of("a", 1));
        assertThat(req("POST", "/x", "").json(Map.class)).isNull();
    }

    @Test void dockerBooleans() {
        Request r = req("GET", "/x?a=1&b=True&c=0&d=&e=false&f=yes&g=t");
        assertThat(r.bool("a")).isTrue();
        assertThat(r.bool("b")).isTrue();
        assertThat(r.bool("c")).isFalse();
        assertThat(r.bool("d", true)).isFalse();
        assertThat(r.bool("e")).isFalse();
        assertThat(r.bool("g")).isTrue();
        assertThat(r.bool("absent")).isFalse();
        assertThat(r.bool("absent", true)).isTrue();
        assertThatThrownBy(() -> r.bool("f")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f: yes");
    }
}
