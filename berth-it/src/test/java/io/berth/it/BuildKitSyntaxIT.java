package io.berth.it;

import static io.berth.it.support.BuildContexts.classic;
import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10's BuildKit Dockerfile syntax on the classic endpoint, which no classic-API engine understands: heredocs,
 * {@code RUN --mount} (cache, bind, tmpfs, secret), {@code RUN --network}, {@code COPY --chmod/--parents/--exclude/
 * --link} and {@code ADD --checksum} (against an HTTP server on loopback). Built through the docker CLI's classic path,
 * and through {@code berth build} where a secret is needed.
 */
class BuildKitSyntaxIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    static final byte[] PAYLOAD = "payload over http\n".getBytes(StandardCharsets.UTF_8);

    static DockerCli docker;
    static HttpServer http;

    @BeforeAll
    static void base() throws Exception {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest");
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/payload.txt", ex -> {
            ex.sendResponseHeaders(200, PAYLOAD.length);
            ex.getResponseBody().write(PAYLOAD);
            ex.close();
        });
        http.start();
    }

    @AfterAll
    static void stopHttp() {
        if (http != null) http.stop(0);
    }

    static String run(String image, String command) {
        return docker.ok("run", "--rm", "--network", "none", image, "sh", "-c", command);
    }

    @Test
    void heredocs() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox
                RUN <<EOF
                echo one > /h1
                echo two >> /h1
                EOF
                RUN <<EOT sh
                echo from-sh > /h2
                EOT
                COPY <<EOF /greeting
                hello
                EOF
                """);
        classic(docker, "-t", "heredoc:1", ctx.toString()).ok();
        assertThat(run("heredoc:1", "cat /h1 /h2 /greeting")).isEqualTo("one\ntwo\nfrom-sh\nhello\n");
    }

    @Test
    void cacheMountsPersistBetweenBuildsButNeverReachTheImage() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox
                ARG N
                RUN --mount=type=cache,target=/cache echo "$N" >> /cache/log && cat /cache/log > /seen
                """);
        classic(docker, "--build-arg", "N=1", "-t", "cm:1", ctx.toString()).ok();
        classic(docker, "--build-arg", "N=2", "-t", "cm:2", ctx.toString()).ok();
        assertThat(run("cm:2", "cat /seen")).isEqualTo("1\n2\n");
        assertThat(run("cm:2", "test -e /cache/log && echo present || echo absent")).isEqualTo("absent\n");
    }

    @Test
    void theBuildCacheIsInSystemDfAndBuilderPruneDropsIt() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN --mount=type=cache,id=dfcache,target=/c echo x > /c/f\n");
        classic(docker, "-t", "dfcache:1", ctx.toString()).ok();
        assertThat(docker.ok("system", "df")).containsPattern("Build Cache\\s+[1-9]");
        assertThat(docker.ok("system", "df", "-v")).contains("exec.cachemount");
        assertThat(daemon.berth().ok("system", "df", "-v")).contains("exec.cachemount");
        Result pruned = docker.run("builder", "prune", "-a", "-f").ok();
        assertThat(pruned.out()).contains("Deleted build cache objects:", "Total reclaimed space:");
        assertThat(docker.ok("system", "df", "-v")).doesNotContain("exec.cachemount");
        assertThat(daemon.berth().run("builder", "prune", "-f").ok().out()).contains("Total reclaimed space: 0B");
    }

    @Test
    void bindAndTmpfsMounts() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox AS base
                RUN echo from-stage > /staged
                FROM busybox
                RUN --mount=type=bind,source=a.txt,target=/mnt/a.txt cat /mnt/a.txt > /bound
                RUN --mount=type=bind,from=base,source=/staged,target=/x cat /x > /from-stage
                RUN --mount=type=tmpfs,target=/scratch touch /scratch/f && grep -q ' /scratch ' /proc/mounts && echo tmpfs > /t
                """, Map.of("a.txt", "bound file\n"));
        classic(docker, "-t", "mounts:1", ctx.toString()).ok();
        assertThat(run("mounts:1", "cat /bound /from-stage /t; test -e /mnt/a.txt || echo no-bind; test -e /scratch/f || echo no-tmpfs"))
                .isEqualTo("bound file\nfrom-stage\ntmpfs\nno-bind\nno-tmpfs\n");
    }

    @Test
    void secretsFromBerthBuildNeverLandInTheImage() throws Exception {
        Path secret = Files.writeString(daemon.scratch().resolve("tok-" + System.nanoTime()), "s3cret-value");
        Path ctx = context(daemon.scratch(), """
                FROM busybox
                RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /len && grep -q s3cret /run/secrets/tok
                """);
        daemon.berth().call("build", "--secret", "id=tok,src=" + secret, "-t", "secret:1", ctx.toString())
                .timeout(java.time.Duration.ofMinutes(3)).run().ok();
        assertThat(run("secret:1", "cat /len; test -e /run/secrets/tok || echo gone").replace(" ", "")).isEqualTo("12\ngone\n");
        assertThat(docker.ok("history", "--no-trunc", "secret:1")).doesNotContain("s3cret-value");
        Path saved = daemon.scratch().resolve("secret-" + System.nanoTime() + ".tar");
        docker.ok("save", "-o", saved.toString(), "secret:1");
        assertThat(new String(Files.readAllBytes(saved), StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-value");

        Result missing = classic(docker, context(daemon.scratch(),
                "FROM busybox\nRUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent\n").toString());
        assertThat(missing.exit()).as("a required secret that was not given").isNotZero();
    }

    @Test
    void runNetworkNone() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN --network=none ls /sys/class/net > /nets\n");
        classic(docker, "-t", "netnone:1", ctx.toString()).ok();
        assertThat(run("netnone:1", "cat /nets")).isEqualTo("lo\n");
    }

    @Test
    void copyFlags() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox
                COPY --chmod=0755 tool.sh /tool.sh
                COPY --parents a/b/x.txt c/y.txt /dst/
                COPY --exclude=*.log dir/ /ex/
                COPY --link a/b/x.txt /linked.txt
                """, Map.of("tool.sh", "echo tool\n", "a/b/x.txt", "x", "c/y.txt", "y", "dir/keep.txt", "k", "dir/skip.log", "s"));
        classic(docker, "-t", "copyflags:1", ctx.toString()).ok();
        assertThat(run("copyflags:1", "stat -c %a /tool.sh; cat /dst/a/b/x.txt /dst/c/y.txt; echo; ls /ex; cat /linked.txt"))
                .isEqualTo("755\nxy\nkeep.txt\nx");
    }

    @Test
    void addChecksumAgainstALoopbackServer() throws Exception {
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/payload.txt";
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PAYLOAD));
        Path ok = context(daemon.scratch(), "FROM busybox\nADD --checksum=sha256:" + sum + " " + url + " /payload.txt\n");
        classic(docker, "-t", "checksum:1", ok.toString()).ok();
        assertThat(run("checksum:1", "cat /payload.txt")).isEqualTo("payload over http\n");

        Path bad = context(daemon.scratch(), "FROM busybox\nADD --checksum=sha256:" + "0".repeat(64) + " " + url + " /payload.txt\n");
        Result r = classic(docker, bad.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().toLowerCase()).containsAnyOf("checksum", "mismatch");
    }
}
