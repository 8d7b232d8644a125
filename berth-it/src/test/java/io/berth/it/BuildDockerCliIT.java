package io.berth.it;

import static io.berth.it.support.BuildContexts.builtId;
import static io.berth.it.support.BuildContexts.classic;
import static io.berth.it.support.BuildContexts.context;
import static io.berth.it.support.BuildContexts.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import io.berth.it.support.TarWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 through the real docker CLI's classic path ({@code DOCKER_BUILDKIT=0}, {@code POST /build}): every
 * instruction, the classic transcript, multi-stage and {@code --target}, {@code .dockerignore}, the layer cache,
 * build args, errors, history, {@code -q} and {@code --iidfile}. Each test builds its own image names.
 */
class BuildDockerCliIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    static DockerCli docker;

    @BeforeAll
    static void base() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest");
    }

    static String run(String image, String command) {
        return docker.ok("run", "--rm", "--network", "none", image, "sh", "-c", command);
    }

    @Test
    void theTranscriptIsTheClassicBuildersOwn() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo hello > /dev/null\nRUN echo world\n");
        Result r = classic(docker, "-t", "transcript:1", ctx.toString()).ok();
        String id = Images.inspect(docker, "transcript:1").path("Id").asText();
        assertThat(r.out()).matches("(?s)Sending build context to Docker daemon +[0-9.]+[kMG]?B\r*\n+"
                + "Step 1/3 : FROM busybox\n ---> [0-9a-f]{12}\n"
                + "Step 2/3 : RUN echo hello > /dev/null\n ---> Running in [0-9a-f]{12}\n"
                + " ---> Removed intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n"
                + "Step 3/3 : RUN echo world\n ---> Running in [0-9a-f]{12}\nworld\n"
                + " ---> Removed intermediate container [0-9a-f]{12}\n ---> " + id.substring(7, 19) + "\n"
                + "Successfully built " + id.substring(7, 19) + "\nSuccessfully tagged transcript:1\n");
        assertThat(docker.ok("ps", "-a", "-q")).as("RUN containers are not listed and are removed").isBlank();
    }

    @Test
    void everyInstructionAtLeastOnce() throws Exception {
        Path ctx = context(daemon.scratch(), """
                ARG BASE=busybox
                FROM ${BASE} AS base
                MAINTAINER someone@example.com
                LABEL a=b "c d"="e f"
                ENV E1=v1 E2="v 2"
                ENV OLD old style
                ARG A1=default
                WORKDIR /work
                COPY a.txt .
                ADD b.tar /unpacked/
                RUN echo "$E1 $A1 ${E2:-x} ${NOPE:-fallback}" > /work/run.txt && echo to-stderr >&2
                RUN ["/bin/sh", "-c", "echo exec-form > /exec.txt"]
                USER 1000:1000
                EXPOSE 8080/tcp 53/udp
                VOLUME /data
                SHELL ["/bin/sh", "-c"]
                STOPSIGNAL SIGTERM
                HEALTHCHECK --interval=5s CMD true
                ONBUILD RUN echo onbuild
                ENTRYPOINT ["/bin/sh", "-c"]
                CMD ["echo hi"]
                """, Map.of("a.txt", "A\n"));
        try (OutputStream o = Files.newOutputStream(ctx.resolve("b.tar")); TarWriter t = new TarWriter(o)) {
            t.dir("inner", 0755).file("inner/f.txt", 0644, "from the tar\n");
        }
        Result r = classic(docker, "-t", "everything:1", ctx.toString()).ok();
        assertThat(r.out()).contains("Step 1/21 : ARG BASE=busybox", "Step 2/21 : FROM ${BASE} AS base",
                "Step 21/21 : CMD [\"echo hi\"]", " ---> Running in ", "to-stderr", "Successfully tagged everything:1");
        JsonNode img = Images.inspect(docker, "everything:1");
        JsonNode c = img.path("Config");
        assertThat(img.path("Author").asText()).isEqualTo("someone@example.com");
        assertThat(c.path("Env").toString()).contains("\"E1=v1\"", "\"E2=v 2\"", "\"OLD=old style\"");
        assertThat(c.path("Labels").path("a").asText()).isEqualTo("b");
        assertThat(c.path("Labels").path("c d").asText()).isEqualTo("e f");
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/work");
        assertThat(c.path("User").asText()).isEqualTo("1000:1000");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("ExposedPorts").has("53/udp")).isTrue();
        assertThat(c.path("Volumes").has("/data")).isTrue();
        assertThat(c.path("StopSignal").asText()).isEqualTo("SIGTERM");
        assertThat(c.path("Healthcheck").path("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"true\"]");
        assertThat(c.path("OnBuild").toString()).isEqualTo("[\"RUN echo onbuild\"]");
        assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");
        assertThat(c.path("Cmd").toString()).isEqualTo("[\"echo hi\"]");
        assertThat(c.has("ArgsEscaped")).as("omitempty fields stay out, as docker inspect shows them").isFalse();
        assertThat(c.has("MacAddress")).isFalse();
        assertThat(img.has("Variant")).isFalse();
        assertThat(docker.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", "everything:1"))
                .contains("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"5s\" \"0s\" \"0s\" \"0s\" '\\x00'}\n");
        String files = docker.ok("run", "--rm", "--network", "none", "--user", "0", "--entrypoint", "sh", "everything:1", "-c",
                "cat /work/run.txt /work/a.txt /unpacked/inner/f.txt /exec.txt");
        assertThat(files).isEqualTo("v1 default v 2 fallback\nA\nfrom the tar\nexec-form\n");
        assertThat(docker.ok("run", "--rm", "--network", "none", "everything:1")).isEqualTo("hi\n");

        // ONBUILD triggers run in a child build
        Path child = context(daemon.scratch(), "FROM everything:1\n");
        assertThat(classic(docker, "-t", "everything:child", child.toString()).ok().out())
                .contains("# Executing 1 build trigger", "onbuild");
    }

    @Test
    void multiStageAndTarget() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox AS one
                RUN echo one > /one
                FROM busybox AS two
                RUN echo two > /two
                FROM busybox
                COPY --from=one /one /one
                COPY --from=1 /two /two
                COPY --from=busybox /bin/busybox /copied-busybox
                """);
        classic(docker, "-t", "ms:all", ctx.toString()).ok();
        assertThat(run("ms:all", "cat /one /two; test -x /copied-busybox && echo x")).isEqualTo("one\ntwo\nx\n");

        Result one = classic(docker, "--target", "one", "-t", "ms:one", ctx.toString()).ok();
        assertThat(one.out()).doesNotContain("echo two").contains("RUN echo one");
        assertThat(run("ms:one", "cat /one; test -e /two || echo no-two")).isEqualTo("one\nno-two\n");

        Result bad = classic(docker, "--target", "nope", ctx.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("target stage \"nope\" could not be found");
    }

    @Test
    void dockerignoreKeepsFilesOutOfTheContext() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nCOPY . /ctx\n", Map.of(".dockerignore", "*.log\nsecret\n!secret/keep\n",
                "a.txt", "a", "b.log", "b", "secret/x", "x", "secret/keep", "k", "sub/c.txt", "c"));
        classic(docker, "-t", "ignored:1", ctx.toString()).ok();
        assertThat(run("ignored:1", "cd /ctx && find . -type f | sort")).isEqualTo("./.dockerignore\n./Dockerfile\n./a.txt\n./secret/keep\n./sub/c.txt\n");

        // excluded build files reach the daemon anyway, which drops them from the context
        Path own = context(daemon.scratch(), "FROM busybox\nCOPY . /ctx\n", Map.of(".dockerignore", "Dockerfile\n.dockerignore\n", "a.txt", "a"));
        classic(docker, "-t", "ignored:2", own.toString()).ok();
        assertThat(run("ignored:2", "cd /ctx && find . -type f | sort")).isEqualTo("./a.txt\n");
    }

    @Test
    void theCacheHitsOnASecondBuildAndMissesOnAChangedFile() throws Exception {
        Path ctx = context(daemon.scratch(), "FROM busybox\nENV X=1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\n", Map.of("a.txt", "one"));
        Result first = classic(docker, "-t", "cache:1", ctx.toString()).ok();
        assertThat(count(first.out(), " ---> Using cache")).isZero();
        Result second = classic(docker, "-t", "cache:2", ctx.toString()).ok();
        assertThat(count(second.out(), " ---> Using cache")).isEqualTo(3);
        assertThat(builtId(second)).isEqualTo(builtId(first));

        Files.setLastModifiedTime(ctx.resolve("a.txt"), FileTime.from(Instant.now().plusSeconds(60)));
        Result touched = classic(docker, ctx.toString()).ok();
        assertThat(count(touched.out(), " ---> Using cache")).as("mtime is not in the cache key").isEqualTo(3);

        Files.writeString(ctx.resolve("a.txt"), "two");
        Result changed = classic(docker, "-t", "cache:3", ctx.toString()).ok();
        assertThat(count(changed.out(), " ---> Using cache")).as("hits up to the COPY of the changed file").isEqualTo(1);
        assertThat(builtId(changed)).isNotEqualTo(builtId(first));
        assertThat(run("cache:3", "cat /b.txt")).isEqualTo("two");

        Result noCache = classic(docker, "--no-cache", ctx.toString()).ok();
        assertThat(noCache.out()).doesNotContain("Using cache");
    }

    @Test
    void aLargeFileChangedInPlaceMissesTheCacheEvenWithItsOldSizeAndMtime() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Path ctx = context(daemon.scratch(), "FROM busybox\nCOPY big /big\nRUN md5sum /big > /sum\n", Map.of());
        Path file = ctx.resolve("big");
        Files.write(file, big);
        FileTime mtime = Files.getLastModifiedTime(file);
        classic(docker, "-t", "big:1", ctx.toString()).ok();
        Result again = classic(docker, "-t", "big:2", ctx.toString()).ok();
        assertThat(count(again.out(), " ---> Using cache")).as("the same bytes again").isEqualTo(2);

        big[big.length / 2] ^= 1; // one byte, same size, and the mtime put back: only the content tells
        Files.write(file, big);
        Files.setLastModifiedTime(file, mtime);
        Result changed = classic(docker, "-t", "big:3", ctx.toString()).ok();
        assertThat(count(changed.out(), " ---> Using cache")).isZero();
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(big));
        assertThat(run("big:3", "cat /sum")).startsWith(expected);

        // what is kept of the contexts is build cache: listed, and pruned by type
        assertThat(docker.ok("system", "df", "-v")).contains("source.local");
        docker.ok("builder", "prune", "-f", "--filter", "type=source.local");
        assertThat(docker.ok("system", "df", "-v")).doesNotContain("source.local");
    }

    @Test
    void buildArgsAndTheUnusedWarning() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nARG V=def\nRUN echo \"v=$V\" > /v\n");
        Result r = classic(docker, "--build-arg", "V=x", "--build-arg", "UNUSED=1", "-t", "args:1", ctx.toString()).ok();
        assertThat(r.out() + r.err()).contains("[Warning] One or more build-args [UNUSED] were not consumed");
        assertThat(run("args:1", "cat /v")).isEqualTo("v=x\n");
        Result again = classic(docker, "--build-arg", "V=y", "-t", "args:2", ctx.toString()).ok();
        assertThat(count(again.out(), " ---> Using cache")).as("a changed arg misses at its first RUN, not at ARG").isEqualTo(1);
        assertThat(run("args:2", "cat /v")).isEqualTo("v=y\n");
        assertThat(run(classicDefault(ctx), "cat /v")).isEqualTo("v=def\n");
    }

    private static String classicDefault(Path ctx) {
        classic(docker, "-t", "args:def", ctx.toString()).ok();
        return "args:def";
    }

    @Test
    void aFailingRunExitsWithItsCodeAndTagsNothing() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo before\nRUN exit 3\n");
        Result r = classic(docker, "-t", "failed:1", ctx.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(docker.run("image", "inspect", "failed:1").exit()).isNotZero();
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
    }

    @Test
    void errorsHaveDockersMessages() {
        Result missing = classic(docker, context(daemon.scratch(), "FROM busybox\nCOPY nope.txt /\n").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("COPY failed:", "nope.txt");

        Result empty = classic(docker, context(daemon.scratch(), "").toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("the Dockerfile (Dockerfile) cannot be empty");

        Result outside = classic(docker, context(daemon.scratch(), "FROM busybox\nCOPY ../../etc/passwd /p\n").toString());
        assertThat(outside.exit()).as("nothing outside the context is read").isNotZero();

        Result blank = classic(docker, context(daemon.scratch(), "\n").toString());
        assertThat(blank.err()).as("only a 0-byte Dockerfile is 'empty'").contains("failed to parse Dockerfile: file with no instructions");

        Result fromMissing = classic(docker, context(daemon.scratch(), "FROM busybox\nCOPY --from=nothere:1 /a /b\n").toString());
        assertThat(fromMissing.exit()).isEqualTo(1);
        assertThat(fromMissing.err()).contains("invalid from flag value nothere:1: ");

        Result unknown = classic(docker, context(daemon.scratch(), "FROM busybox\nFROBNICATE x\n").toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown instruction: FROBNICATE");
    }

    @Test
    void historyReadsAsDockers() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nWORKDIR /x\nCMD [\"sh\"]\nRUN true\n");
        classic(docker, "-t", "hist:1", ctx.toString()).ok();
        String history = docker.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", "hist:1");
        assertThat(history.lines().limit(3)).containsExactly("/bin/sh -c true", "/bin/sh -c #(nop)  CMD [\"sh\"]",
                "/bin/sh -c #(nop) WORKDIR /x");
        String ids = docker.ok("history", "--format", "{{.ID}}", "hist:1");
        assertThat(ids.lines().limit(4)).as("every step's image, through the parent chain, as dockerd shows it")
                .doesNotContain("<missing>");
    }

    @Test
    void quietAndIidfile() throws Exception {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo q > /q\n");
        Path iid = daemon.scratch().resolve("iid-" + System.nanoTime());
        Result q = classic(docker, "-q", "--iidfile", iid.toString(), "-t", "quiet:1", ctx.toString()).ok();
        String id = Images.inspect(docker, "quiet:1").path("Id").asText();
        assertThat(q.out().strip()).isEqualTo(id);
        assertThat(Files.readString(iid).strip()).isEqualTo(id);
    }

    @Test
    void rmiDeletesTheIntermediateImagesNothingElseWants() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo chain-one > /c1\nRUN echo chain-two > /c2\nCMD [\"sh\"]\n");
        classic(docker, "-t", "chain:1", ctx.toString()).ok();
        classic(docker, "-t", "chain:2", ctx.toString()).ok(); // the same image, all from the cache
        String base = Images.inspect(docker, "busybox:latest").path("Id").asText();
        String top = Images.inspect(docker, "chain:1").path("Id").asText();
        String parent = Images.inspect(docker, "chain:1").path("Parent").asText();
        assertThat(parent).startsWith("sha256:").isNotEqualTo(base);
        java.util.List<String> chain = docker.ok("history", "-q", "--no-trunc", "chain:1").lines()
                .filter(l -> l.startsWith("sha256:") && !l.equals(base)).toList();
        assertThat(chain).hasSize(3).contains(top, parent);
        assertThat(docker.ok("rmi", "chain:1")).isEqualTo("Untagged: chain:1\n");
        String out = docker.ok("rmi", "chain:2");
        assertThat(out).startsWith("Untagged: chain:2\nDeleted: " + top + "\nDeleted: " + parent + "\n");
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").lines()).as("the chain is gone, the base kept")
                .doesNotContainAnyElementsOf(chain).contains(base);

        classic(docker, "-t", "chain:3", ctx.toString()).ok();
        String kept = Images.inspect(docker, "chain:3").path("Parent").asText();
        assertThat(docker.ok("rmi", "--no-prune", "chain:3")).doesNotContain(kept);
        assertThat(Images.inspect(docker, kept).path("Id").asText()).isEqualTo(kept);
        assertThat(docker.ok("image", "prune", "-f")).contains(kept); // now a dangling top image: pruned with its chain
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").lines()).doesNotContain(kept).contains(base);
    }

    @Test
    void aClientThatGoesAwayCancelsItsBuild() throws Exception {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo started && sleep 137\n");
        Process cli = new ProcessBuilder("docker", "-H", daemon.host(), "build", "-t", "cancelled:1", ctx.toString())
                .redirectErrorStream(true).start();
        cli.getOutputStream().close();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(cli.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("started")) { /* the RUN is under way */ }
            assertThat(line).as("the RUN's output").isEqualTo("started");
            assertThat(sleepers()).as("the RUN's process").isNotEmpty();
            cli.destroy(); // the CLI closes its connection: the build must stop
            assertThat(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!sleepers().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sleepers()).as("the RUN's process is killed").isEmpty();
        assertThat(docker.run("image", "inspect", "cancelled:1").exit()).as("nothing tagged").isNotZero();
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
    }

    @Test
    void runStepsGetTheBuildsLimitsNetworkAndHosts() {
        Path ctx = context(daemon.scratch(), """
                FROM busybox
                RUN echo "mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)" \\
                 && echo "nofile=$(ulimit -n)" && echo "shm=$(df -k /dev/shm | tail -n 1 | awk '{print $2}')" \\
                 && echo "hosts=$(grep -c 'builder-host' /etc/hosts)" && echo "links=$(ls /sys/class/net | tr '\\n' ' ')"
                """);
        Result r = classic(docker, "--no-cache", "--memory", "64m", "--shm-size", "32m", "--ulimit", "nofile=512:1024",
                "--add-host", "builder-host:10.9.8.7", "--network", "none", ctx.toString()).ok();
        assertThat(r.out()).contains("mem=67108864").contains("nofile=512").contains("shm=32768").contains("hosts=1")
                .contains("links=lo \n");
        Result bridged = classic(docker, "--no-cache", ctx.toString()).ok(); // the default network: the default bridge
        assertThat(bridged.out()).contains("links=eth0 lo \n").contains("hosts=0");
    }

    /** PIDs of processes running the cancelled build's {@code sleep 137} (busybox's applet: argv, not the exe). */
    static java.util.List<Long> sleepers() {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            try {
                return Files.readString(Path.of("/proc/" + pid + "/cmdline")).equals("sleep\0" + "137\0");
            } catch (java.io.IOException gone) {
                return false;
            }
        }).toList();
    }
}
