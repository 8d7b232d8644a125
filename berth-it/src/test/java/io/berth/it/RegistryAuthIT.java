package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.LocalRegistry;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, login and logout through the real docker CLI against distribution 2.8 with bcrypt htpasswd (Basic) and with
 * the tests' own token server (Bearer): "Login Succeeded", credentials in config.json, pull and push with them, a
 * wrong password fails with exit 1, after logout access that needs auth is refused.
 */
class RegistryAuthIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    private static void loginLogoutPullPush(LocalRegistry reg) throws Exception {
        String host = reg.host();
        reg.seed("docker-archive:" + Project.fixture("layers.docker-archive.tar"), "secret/layers:v1");
        String ref = host + "/secret/layers:v1";

        Result anonymous = daemon.docker().run("pull", ref);
        assertThat(anonymous.exit()).as(anonymous.toString()).isEqualTo(1);
        assertThat(anonymous.err()).startsWith("Error response from daemon: ");

        Result wrong = daemon.docker().call("login", "-u", "alice", "--password-stdin", host).stdin("wrong\n".getBytes()).run();
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("Error response from daemon: ").containsIgnoringCase("unauthorized");

        Result login = daemon.docker().call("login", "-u", "alice", "--password-stdin", host).stdin("s3cret\n".getBytes()).run().ok();
        assertThat(login.lines()).contains("Login Succeeded");
        JsonNode config = Images.parse(Files.readString(daemon.dockerConfig().resolve("config.json")));
        assertThat(config.path("auths").has(host)).isTrue();

        daemon.docker().run("pull", ref).ok();
        assertThat(Images.inspect(daemon.docker(), ref).path("Id").asText()).isEqualTo(FIXTURE_ID);
        String pushRef = host + "/secret/pushed:v1";
        daemon.docker().ok("tag", ref, pushRef);
        Result push = daemon.docker().run("push", pushRef).ok();
        assertThat(push.out()).contains("v1: digest: " + reg.manifestDigest("secret/pushed", "v1"));

        Result logout = daemon.docker().run("logout", host).ok();
        assertThat(logout.out()).contains("Removing login credentials for " + host);
        String refusedRef = host + "/secret/pushed:v2";
        daemon.docker().ok("tag", ref, refusedRef);
        // refused: a 401 before streaming makes the docker CLI ask for credentials (none given here); a token without
        // push access is "denied"
        Result refusedPush = daemon.docker().call("push", refusedRef).stdin("\n".getBytes()).run();
        assertThat(refusedPush.exit()).as(refusedPush.toString()).isEqualTo(1);
        assertThat(refusedPush.out() + refusedPush.err()).as(refusedPush.toString())
                .containsAnyOf("Login prior to push:", "denied: requested access to the resource is denied");
        assertThat(reg.manifestDigest("secret/pushed", "v2")).isNull();
        daemon.docker().run("rmi", "-f", ref, pushRef, refusedRef, FIXTURE_ID);
        Result refused = daemon.docker().run("pull", ref);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Error response from daemon: ");
    }

    @Test
    void htpasswdBasicAuth() throws Exception {
        try (LocalRegistry reg = LocalRegistry.htpasswd("alice", "s3cret")) {
            loginLogoutPullPush(reg);
        }
    }

    @Test
    void bearerTokenFlow() throws Exception {
        try (LocalRegistry reg = LocalRegistry.token("alice", "s3cret")) {
            loginLogoutPullPush(reg);
            assertThat(reg.tokenServer().requests).anyMatch(r -> r.contains("service=") && r.contains("[credentials]"));
            assertThat(reg.tokenServer().requests).anyMatch(r -> r.contains("scope=repository%3Asecret%2Flayers%3Apull")
                    || r.contains("scope=repository:secret/layers:pull"));
        }
    }

    @Test
    void berthCliLoginAndLogout() throws Exception {
        try (LocalRegistry reg = LocalRegistry.htpasswd("alice", "s3cret")) {
            reg.seed("docker-archive:" + Project.fixture("layers.docker-archive.tar"), "secret/layers:v1");
            Result bad = daemon.berth().call("login", "-u", "alice", "--password-stdin", reg.host()).stdin("nope\n".getBytes()).run();
            assertThat(bad.exit()).isEqualTo(1);
            daemon.berth().call("login", "-u", "alice", "--password-stdin", reg.host()).stdin("s3cret\n".getBytes()).run().ok();
            daemon.berth().run("pull", reg.host() + "/secret/layers:v1").ok();
            daemon.berth().run("logout", reg.host()).ok();
            daemon.docker().run("rmi", "-f", reg.host() + "/secret/layers:v1");
            assertThat(daemon.berth().run("pull", reg.host() + "/secret/layers:v1").exit()).isEqualTo(1);
        }
    }
}
