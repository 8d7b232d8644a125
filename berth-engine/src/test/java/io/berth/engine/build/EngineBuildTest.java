package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.image.HistoryItem;
import io.berth.engine.daemon.Engine;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.ProgressSink;
import io.berth.engine.testing.RealEngine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dockerfile builds through a real engine (runc + conmon, busybox from bin/mkrootfs), as root, in a private data and
 * exec root: RUN in real containers with their output, the cache on a second build, a failing RUN's code, cache
 * mounts, and nothing left behind (containers, mounts, cgroups).
 */
class EngineBuildTest {
    @TempDir static Path tmp;
    static Engine engine;

    @BeforeAll static void setUp() throws Exception {
        engine = RealEngine.withBusybox(tmp);
    }

    @AfterAll static void tearDown() throws Exception {
        if (engine == null) return;
        engine.close();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).as("mounts left behind").doesNotContain(tmp.toString());
    }

    /** A context tar of {@code files} (name → content) made with tar(1). */
    static Path context(Map<String, String> files) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "ctx");
        for (var e : files.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue());
        Path tar = Files.createTempFile(tmp, "ctx", ".tar");
        Process p = new ProcessBuilder("tar", "-cf", tar.toString(), "-C", dir.toString(), ".").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return tar;
    }

    static BuildService.BuildRequest request(List<String> tags, String networkMode) {
        return new BuildService.BuildRequest(tags, null, false, false, true, false, false, Map.of(), Map.of(), null,
                networkMode, List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(), Map.of(), "1.50");
    }

    static String build(Path context, BuildService.BuildRequest req, List<JsonMessage> out) throws Exception {
        try (InputStream in = Files.newInputStream(context)) {
            return engine.build().build(req, in, out::add);
        }
    }

    static String text(List<JsonMessage> out) {
        return out.stream().map(m -> m.stream() == null ? "" : m.stream()).collect(Collectors.joining());
    }

    @Test void aDockerfileBuildsRunsItsStepsAndHitsTheCacheTheSecondTime() throws Exception {
        Path ctx = context(Map.of("Dockerfile", """
                FROM busybox
                ENV GREETING=hello
                WORKDIR /app
                COPY hello.txt .
                RUN echo "$GREETING out"; echo err >&2; cat hello.txt > copy.txt
                CMD ["sh"]
                """, "hello.txt", "from the context\n"));
        List<JsonMessage> first = new ArrayList<>();
        String id = build(ctx, request(List.of("built:1"), "none"), first);
        String log = text(first);
        assertThat(log).contains("Step 5/6 : RUN echo \"$GREETING out\"; echo err >&2; cat hello.txt > copy.txt\n")
                .contains("hello out\n").contains("\u001b[91merr\n\u001b[0m").contains("Successfully tagged built:1\n");
        assertThat(first.stream().filter(m -> m.aux() != null)).hasSize(1);
        assertThat(engine.images().inspect("built:1").id()).isEqualTo(id);
        assertThat(engine.images().inspect("built:1").parent()).startsWith("sha256:");
        assertThat(engine.images().inspect("built:1").config().cmd()).containsExactly("sh");
        assertThat(engine.images().inspect("built:1").config().workingDir()).isEqualTo("/app");
        var stored = engine.images().inspect("built:1").containerConfig();
        assertThat(stored.cmd()).containsExactly("/bin/sh", "-c", "#(nop) ", "CMD [\"sh\"]");
        assertThat(stored.image()).as("the step's container ran on the parent").isEqualTo(engine.images().inspect("built:1").parent());
        assertThat(stored.hostname()).matches("[0-9a-f]{12}");
        List<String> history = engine.images().history(id).stream().map(HistoryItem::createdBy).toList();
        assertThat(history.getFirst()).isEqualTo("/bin/sh -c #(nop)  CMD [\"sh\"]");
        assertThat(history.get(1)).isEqualTo("/bin/sh -c echo \"$GREETING out\"; echo err >&2; cat hello.txt > copy.txt");
        assertThat(history.get(2)).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in \\. ");
        List<HistoryItem> items = engine.images().history(id);
        assertThat(items.getFirst().id()).isEqualTo(id);
        assertThat(items.getFirst().tags()).containsExactly("built:1");
        assertThat(items.get(1).id()).as("as docker history: each step's image, through the parents")
                .isEqualTo(engine.images().inspect(id).parent());
        assertThat(items.getLast().id()).isEqualTo(engine.images().inspect("busybox").id());
        assertThat(engine.containers().list(true, 0, false, Filters.NONE)).isEmpty();

        List<JsonMessage> second = new ArrayList<>();
        assertThat(build(ctx, request(List.of(), "none"), second)).isEqualTo(id);
        assertThat(text(second)).doesNotContain("Running in").contains(" ---> Using cache\n");

        String run = engine.containers().create("", io.berth.api.container.ContainerCreateRequest.of(id,
                List.of("cat", "/app/copy.txt"), hostNone())).id();
        try {
            engine.containers().start(run);
            assertThat(engine.containers().await(run, "not-running").get().statusCode()).isZero();
        } finally {
            engine.containers().remove(run, true, false);
        }
    }

    /** Large context files are held in memory while the build only probes the cache, and written when a step reads them. */
    @Test void largeContextFilesReachCopyAndBindMounts() throws Exception {
        String big = "a".repeat(300_000) + "\n";
        List<JsonMessage> bound = new ArrayList<>();
        build(context(Map.of("Dockerfile", "FROM busybox\nRUN --mount=type=bind,target=/ctx md5sum /ctx/big.txt\n",
                "big.txt", big)), request(List.of(), "none"), bound);
        assertThat(text(bound)).contains(md5(big) + "  /ctx/big.txt\n");

        String dockerfile = "FROM busybox\nCOPY big.txt /big.txt\nRUN md5sum /big.txt\n";
        Path ctx = context(Map.of("Dockerfile", dockerfile, "big.txt", big));
        List<JsonMessage> copied = new ArrayList<>();
        String id = build(ctx, request(List.of(), "none"), copied);
        assertThat(text(copied)).contains(md5(big) + "  /big.txt\n");
        List<JsonMessage> again = new ArrayList<>();
        assertThat(build(ctx, request(List.of(), "none"), again)).isEqualTo(id);
        assertThat(text(again)).doesNotContain("Running in");
        String changed = "b".repeat(300_000) + "\n";
        List<JsonMessage> third = new ArrayList<>();
        build(context(Map.of("Dockerfile", dockerfile, "big.txt", changed)), request(List.of(), "none"), third);
        assertThat(text(third)).contains(md5(changed) + "  /big.txt\n");
    }

    private static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static io.berth.api.container.HostConfig hostNone() {
        var h = io.berth.api.container.HostConfig.builder();
        h.networkMode = "none";
        return h.build();
    }

    @Test void aFailingRunEndsWithItsCodeAndLeavesNothing() throws Exception {
        Path ctx = context(Map.of("Dockerfile", "FROM busybox\nRUN echo before; exit 3\n"));
        List<JsonMessage> out = new ArrayList<>();
        assertThatThrownBy(() -> build(ctx, request(List.of("never:1"), "none"), out))
                .hasMessage("The command '/bin/sh -c echo before; exit 3' returned a non-zero code: 3");
        assertThat(out.getLast().errorDetail().code()).isEqualTo(3);
        assertThat(text(out)).contains("before\n");
        assertThat(engine.images().list(true, Filters.NONE, false).stream().flatMap(i -> i.repoTags() == null
                ? java.util.stream.Stream.<String>empty() : i.repoTags().stream())).doesNotContain("never:1");
        // the step container's removal cleans up after it answers
        io.berth.engine.testing.Eventually.eventually(() -> {
            try (var dirs = Files.list(tmp.resolve("data").resolve("containers"))) {
                return dirs.noneMatch(Files::isDirectory);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test void aCacheMountKeepsItsFilesBetweenBuildsAndOutOfTheImage() throws Exception {
        Path ctx = context(Map.of("Dockerfile", """
                FROM busybox
                ARG N
                RUN --mount=type=cache,target=/cache echo "$N" >> /cache/runs && cat /cache/runs && ls /cache > /listing
                """));
        List<JsonMessage> out = new ArrayList<>();
        var req1 = new BuildService.BuildRequest(List.of(), null, false, false, true, false, false, Map.of("N", "1"), Map.of(),
                null, "none", List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(), Map.of(), "1.50");
        build(ctx, req1, out);
        var req2 = new BuildService.BuildRequest(List.of(), null, false, false, true, false, false, Map.of("N", "2"), Map.of(),
                null, "none", List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(), Map.of(), "1.50");
        out.clear();
        build(ctx, req2, out);
        assertThat(text(out)).contains("1\n2\n");
        assertThat(engine.build().cache()).filteredOn(r -> r.type().equals("exec.cachemount")).hasSize(1);
    }

    @Test void stagesHeredocsSecretsAndBindsBuildAsBuildKitSays() throws Exception {
        Path ctx = context(Map.of("Dockerfile", """
                ARG WHO=world
                FROM busybox AS unused
                RUN exit 9
                FROM busybox AS base
                ARG WHO
                RUN <<EOF
                echo "hello $WHO" > /greeting
                EOF
                COPY <<EOF /note.txt
                note for ${WHO}
                EOF
                FROM busybox
                COPY --from=base /greeting /note.txt /
                RUN --mount=type=secret,id=token cat /run/secrets/token > /seen-secret
                RUN --mount=type=bind,target=/ctx cat /ctx/data.txt > /from-bind
                RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test ! -e /x
                RUN cat /greeting /note.txt /seen-secret /from-bind
                """, "data.txt", "bound\n"));
        List<JsonMessage> out = new ArrayList<>();
        var req = new BuildService.BuildRequest(List.of("stages:1"), null, false, false, true, false, false, Map.of(), Map.of(),
                null, "none", List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(),
                Map.of("token", "s3cret\n".getBytes()), "1.50");
        build(ctx, req, out);
        String log = text(out);
        assertThat(log).contains("hello world\nnote for world\ns3cret\nbound\n").doesNotContain("exit 9");
        assertThat(out.stream().filter(m -> m.aux() != null)).hasSize(2);
        List<JsonMessage> check = new ArrayList<>();
        build(context(Map.of("Dockerfile", "FROM stages:1\nRUN test ! -e /run/secrets && test ! -e /ctx && test ! -e /scratch\n")),
                request(List.of(), "none"), check);
        assertThat(text(check)).contains("Successfully built");
    }

    @Test void onbuildTriggersRunInTheChildBuild() throws Exception {
        build(context(Map.of("Dockerfile", "FROM busybox\nONBUILD RUN echo triggered > /t\n")), request(List.of("parent:1"), "none"),
                new ArrayList<>());
        List<JsonMessage> out = new ArrayList<>();
        build(context(Map.of("Dockerfile", "FROM parent:1\nRUN cat /t\n")), request(List.of(), "none"), out);
        assertThat(text(out)).contains("# Executing 1 build trigger\n").contains("triggered\n");
    }

    @Test void pruneDropsBuildOnlyImagesAndKeepsWhatATagNeeds() throws Exception {
        String kept = build(context(Map.of("Dockerfile", "FROM busybox\nRUN echo kept > /k\n")), request(List.of("kept:1"), "none"),
                new ArrayList<>());
        String dropped = build(context(Map.of("Dockerfile", "FROM busybox\nENV X=prune-me\nRUN echo dropped > /d\n")),
                request(List.of(), "none"), new ArrayList<>());
        assertThat(engine.build().cache()).extracting(BuildService.BuildCacheRecord::id).contains(dropped).doesNotContain(kept);
        BuildService.BuildCachePruneReport report = engine.build().prune(Filters.NONE, false, 0);
        assertThat(report.cachesDeleted()).contains(dropped);
        assertThatThrownBy(() -> engine.images().inspect(dropped)).isInstanceOf(io.berth.api.errors.BerthException.NotFound.class);
        assertThat(engine.images().inspect("kept:1").id()).isEqualTo(kept);
        assertThat(engine.images().inspect(engine.images().inspect("kept:1").parent()).id()).startsWith("sha256:");
    }

    @Test void theCacheOutlivesADaemonRestart() throws Exception {
        Path ctx = context(Map.of("Dockerfile", "FROM busybox\nRUN echo restart > /r\nCMD [\"cat\", \"/r\"]\n"));
        String id = build(ctx, request(List.of("restart:1"), "none"), new ArrayList<>());
        engine.close();
        engine = RealEngine.open(tmp);
        List<JsonMessage> out = new ArrayList<>();
        assertThat(build(ctx, request(List.of(), "none"), out)).isEqualTo(id);
        assertThat(text(out)).doesNotContain("Running in");
        assertThat(engine.images().inspect(id).parent()).startsWith("sha256:");
    }

    /** moby's cache-from for a loaded image: every step of the same Dockerfile hits it through its history. */
    @Test void aLoadedCacheFromImageGivesEveryStepFromItsHistory() throws Exception {
        Path ctx = context(Map.of("Dockerfile", "FROM busybox\nENV A=loaded\nRUN echo hi > /x\nCOPY f /f\nCMD [\"sh\"]\n",
                "f", "data"));
        String id = build(ctx, request(List.of("loaded:1"), "none"), new ArrayList<>());
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        engine.images().save(List.of("loaded:1"), saved);
        engine.images().remove("loaded:1", false, false);
        engine.build().prune(Filters.NONE, true, 0);
        engine.images().load(new java.io.ByteArrayInputStream(saved.toByteArray()), true, ProgressSink.DISCARD);

        BuildService.BuildRequest withCacheFrom = new BuildService.BuildRequest(List.of(), null, false, false, true, false, false,
                Map.of(), Map.of(), null, "none", List.of(), null, List.of("loaded:1"), BuildService.Resources.NONE, null, null,
                Map.of(), Map.of(), "1.50");
        List<JsonMessage> out = new ArrayList<>();
        assertThat(build(ctx, withCacheFrom, out)).isEqualTo(id);
        assertThat(text(out).split(" ---> Using cache\n", -1)).hasSize(5);
        assertThat(text(out)).doesNotContain("Running in");
        List<JsonMessage> again = new ArrayList<>();
        assertThat(build(ctx, request(List.of(), "none"), again)).isNotEqualTo(id);
        assertThat(text(again)).contains("Running in");
    }
}
