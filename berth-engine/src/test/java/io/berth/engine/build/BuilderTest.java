package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.service.BuildService;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderTest {
    @TempDir Path tmp;
    FakeBuildBackend backend;
    FakeFrontend frontend;
    Builder builder;
    String busybox;
    final List<JsonMessage> messages = new ArrayList<>();

    @BeforeEach void setUp() {
        backend = new FakeBuildBackend(tmp.resolve("fs"));
        frontend = new FakeFrontend(tmp.resolve("ctx"));
        builder = new Builder(backend, frontend, tmp.resolve("build"));
        busybox = backend.addBase("busybox", config(List.of("PATH=/bin"), List.of("sh")));
    }

    static ContainerConfig config(List<String> env, List<String> cmd) {
        return new ContainerConfig("", "", "", false, false, false, null, false, false, false, env, cmd, null, null, "",
                null, "", null, null, null, null, null, null, null, null);
    }

    static BuildService.BuildRequest request(List<String> tags, Map<String, String> buildArgs, String target,
                                             Map<String, String> labels) {
        return new BuildService.BuildRequest(tags, null, false, false, true, false, false, buildArgs, labels, target, null,
                List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(), Map.of(), "1.50");
    }

    String build(String dockerfile, List<String> tags, Map<String, String> args) {
        return build(dockerfile, request(tags, args, null, Map.of()));
    }

    String build(String dockerfile, BuildService.BuildRequest req) {
        messages.clear();
        frontend.dockerfile = dockerfile;
        return builder.build(req, new ByteArrayInputStream(new byte[0]), messages::add);
    }

    /** The stream texts, one per message, with every 12-hex ID written as {@code <id>}. */
    String transcript() {
        return messages.stream().map(m -> m.stream() != null ? m.stream()
                        : m.aux() != null ? "aux " + m.aux() + "\n" : "error " + m.error() + " code " + m.errorDetail().code() + "\n")
                .map(s -> s.replaceAll("sha256:[0-9a-f]{64}", "sha256:<full>").replaceAll("\\b[0-9a-f]{12}\\b", "<id>"))
                .collect(Collectors.joining("|"));
    }

    @Test void aSmallBuildPrintsTheClassicTranscriptExactly() {
        backend.script = cmd -> new FakeBuildBackend.Result("hi\n", "warn\n", 0);
        String id = build("FROM busybox\nENV A=1\nRUN echo hi\nCMD [\"sh\"]\n", List.of("app"), Map.of());
        assertThat(transcript()).isEqualTo(String.join("|",
                "Step 1/4 : FROM busybox", "\n", " ---> <id>\n",
                "Step 2/4 : ENV A=1", "\n", " ---> Running in <id>\n", " ---> Removed intermediate container <id>\n", " ---> <id>\n",
                "Step 3/4 : RUN echo hi", "\n", " ---> Running in <id>\n", "hi\n", "\u001b[91mwarn\n\u001b[0m",
                " ---> Removed intermediate container <id>\n", " ---> <id>\n",
                "Step 4/4 : CMD [\"sh\"]", "\n", " ---> Running in <id>\n", " ---> Removed intermediate container <id>\n", " ---> <id>\n",
                "aux {ID=sha256:<full>}\n", "Successfully built <id>\n", "Successfully tagged app:latest\n"));
        assertThat(messages.get(2).stream()).isEqualTo(" ---> " + busybox.substring(7, 19) + "\n");
        assertThat(messages.get(messages.size() - 2).stream()).isEqualTo("Successfully built " + id.substring(7, 19) + "\n");
        assertThat(backend.tags).containsEntry("docker.io/library/app:latest", id);
        assertThat(backend.containers).isEmpty();
    }

    @Test void stepsCountMetaArgsStagesAndInstructions() {
        build("ARG BASE=busybox\nFROM $BASE AS one\nRUN true\nFROM one\nRUN false-not\n", List.of(), Map.of());
        assertThat(messages.stream().map(JsonMessage::stream).filter(s -> s != null && s.startsWith("Step")))
                .containsExactly("Step 1/5 : ARG BASE=busybox", "Step 2/5 : FROM $BASE AS one", "Step 3/5 : RUN true",
                        "Step 4/5 : FROM one", "Step 5/5 : RUN false-not");
    }

    @Test void aSecondIdenticalBuildIsAllCacheHitsWithTheSameId() {
        String dockerfile = "FROM busybox\nENV A=1\nRUN echo hi\nCOPY a.txt /a.txt\nWORKDIR /app\nCMD [\"sh\"]\n";
        frontend.files.put("a.txt", "one");
        String first = build(dockerfile, List.of(), Map.of());
        int runs = backend.ran.size();
        String second = build(dockerfile, List.of(), Map.of());
        assertThat(second).isEqualTo(first);
        assertThat(backend.ran).hasSize(runs);
        assertThat(transcript()).doesNotContain("Running in");
        assertThat(messages.stream().filter(m -> " ---> Using cache\n".equals(m.stream()))).hasSize(5);
    }

    @Test void aChangedBuildArgMissesAtTheFirstRunThatUsesIt() {
        String dockerfile = "FROM busybox\nARG V\nENV X=1\nRUN echo $V\nRUN echo done\n";
        build(dockerfile, List.of(), Map.of("V", "a"));
        build(dockerfile, List.of(), Map.of("V", "b"));
        List<String> lines = messages.stream().map(JsonMessage::stream).filter(s -> s != null).toList();
        int run = lines.indexOf("Step 4/5 : RUN echo $V");
        assertThat(lines.subList(0, run)).filteredOn(" ---> Using cache\n"::equals).hasSize(2);
        assertThat(lines.subList(run, lines.size())).doesNotContain(" ---> Using cache\n");
        assertThat(backend.ran.getLast()).containsExactly("/bin/sh", "-c", "echo done");
        assertThat(backend.containers).isEmpty();
        FakeBuildBackend.FakeImage runStep = backend.history(backend.images.values().stream()
                .filter(i -> i.createdBy().contains("echo $V") && i.createdBy().contains("V=b")).findFirst().orElseThrow().id()).getLast();
        assertThat(runStep.createdBy()).isEqualTo("|1 V=b /bin/sh -c echo $V");
    }

    @Test void aChangedCopySourceMissesFromTheCopyOn() {
        String dockerfile = "FROM busybox\nRUN echo one\nCOPY a.txt /a.txt\nRUN echo two\n";
        frontend.files.put("a.txt", "one");
        build(dockerfile, List.of(), Map.of());
        frontend.files.put("a.txt", "changed");
        build(dockerfile, List.of(), Map.of());
        assertThat(messages.stream().filter(m -> " ---> Using cache\n".equals(m.stream()))).hasSize(1);
        assertThat(backend.ran.getLast()).containsExactly("/bin/sh", "-c", "echo two");
    }

    @Test void theTargetBuildsOnlyTheStagesItNeeds() {
        String dockerfile = "FROM busybox AS unused\nRUN echo unused\nFROM busybox AS dep\nRUN echo dep\n"
                + "FROM busybox AS app\nCOPY --from=dep /x /x\nRUN echo app\nFROM busybox AS later\nRUN echo later\n";
        build(dockerfile, request(List.of(), Map.of(), "app", Map.of()));
        assertThat(backend.ran).containsExactly(List.of("/bin/sh", "-c", "echo dep"), List.of("/bin/sh", "-c", "echo app"));
        assertThat(messages.stream().map(JsonMessage::stream).filter(s -> s != null && s.startsWith("Step")))
                .containsExactly("Step 1/5 : FROM busybox AS dep", "Step 2/5 : RUN echo dep", "Step 3/5 : FROM busybox AS app",
                        "Step 4/5 : COPY --from=dep /x /x", "Step 5/5 : RUN echo app");
        assertThat(messages.stream().filter(m -> m.aux() != null)).hasSize(2);
    }

    @Test void anUnknownTargetIsRefusedBeforeAnyOutput() {
        frontend.dockerfile = "FROM busybox AS a\nRUN true\n";
        assertThatThrownBy(() -> builder.build(request(List.of(), Map.of(), "x", Map.of()), new ByteArrayInputStream(new byte[0]),
                messages::add)).isInstanceOf(BerthException.InvalidArgument.class).hasMessage("target stage \"x\" could not be found");
        assertThat(messages).isEmpty();
    }

    @Test void unusedBuildArgsAreWarnedAboutButProxyArgsAreNot() {
        build("FROM busybox\nARG USED\nRUN true\n", List.of(), Map.of("USED", "1", "FOO", "2", "BAR", "3", "HTTP_PROXY", "p"));
        assertThat(transcript()).contains("[Warning] One or more build-args [BAR FOO] were not consumed\n|Successfully built");
        assertThat(backend.images.values().stream().filter(i -> i.createdBy().endsWith("-c true")).findFirst().orElseThrow().createdBy())
                .isEqualTo("|1 USED=1 /bin/sh -c true");
    }

    @Test void aFailingRunEndsTheStreamWithItsCodeAndTagsNothing() {
        backend.script = cmd -> new FakeBuildBackend.Result("", "", cmd.getLast().equals("exit 3") ? 3 : 0);
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 3\nRUN echo never\n", List.of("app"), Map.of()))
                .hasMessage("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        JsonMessage last = messages.getLast();
        assertThat(last.error()).isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(last.errorDetail().code()).isEqualTo(3);
        assertThat(backend.tags).isEmpty();
        assertThat(backend.containers).isEmpty();
        assertThat(transcript()).doesNotContain("Removed intermediate container");
    }

    @Test void metadataStepsWriteDockersHistoryText() {
        String id = build("FROM busybox\nENV A=1 B=2\nEXPOSE 80 53/udp\nUSER nobody\nCMD [\"sh\"]\nENTRYPOINT /init\n",
                List.of(), Map.of());
        List<String> history = backend.history(id).stream().skip(1).map(FakeBuildBackend.FakeImage::createdBy).toList();
        assertThat(history).containsExactly("/bin/sh -c #(nop)  ENV A=1 B=2", "/bin/sh -c #(nop)  EXPOSE 80 53/udp",
                "/bin/sh -c #(nop)  USER nobody", "/bin/sh -c #(nop)  CMD [\"sh\"]",
                "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\" \"/init\"]");
        ContainerConfig cfg = backend.images.get(id).config();
        assertThat(cfg.env()).containsExactly("PATH=/bin", "A=1", "B=2");
        assertThat(cfg.entrypoint()).containsExactly("/bin/sh", "-c", "/init");
        assertThat(cfg.cmd()).as("a CMD of this Dockerfile survives ENTRYPOINT").containsExactly("sh");
        assertThat(cfg.user()).isEqualTo("nobody");
        assertThat(cfg.exposedPorts()).containsOnlyKeys("53/udp", "80/tcp");
        assertThat(backend.images.get(id).emptyLayer()).isTrue();
    }

    @Test void anEntrypointDropsTheInheritedCmd() {
        String id = build("FROM busybox\nENTRYPOINT [\"/init\"]\n", List.of(), Map.of());
        assertThat(backend.images.get(id).config().cmd()).isNull();
    }

    @Test void theRequestsLabelsAreALastStep() {
        String id = build("FROM busybox\nRUN true\n", request(List.of(), Map.of(), null, Map.of("b", "2", "a", "$1")));
        assertThat(messages.stream().map(JsonMessage::stream).filter(s -> s != null && s.startsWith("Step")))
                .containsExactly("Step 1/3 : FROM busybox", "Step 2/3 : RUN true", "Step 3/3 : LABEL \"a\"='$1' \"b\"='2'");
        assertThat(backend.images.get(id).config().labels()).containsExactly(Map.entry("a", "$1"), Map.entry("b", "2"));
    }

    @Test void onbuildTriggersOfTheBaseRunAfterFrom() {
        ContainerConfig withTrigger = new ContainerConfig("", "", "", false, false, false, null, false, false, false,
                List.of("PATH=/bin"), null, null, null, "", null, "", null, null, null, List.of("RUN echo trigger"), null, null,
                null, null);
        backend.addBase("parent", withTrigger);
        String id = build("FROM parent\nRUN echo own\n", List.of(), Map.of());
        assertThat(transcript()).startsWith("Step 1/2 : FROM parent|\n|# Executing 1 build trigger|\n| ---> Running in <id>\n");
        assertThat(backend.ran).containsExactly(List.of("/bin/sh", "-c", "echo trigger"), List.of("/bin/sh", "-c", "echo own"));
        assertThat(backend.images.get(id).config().onBuild()).isNull();
    }

    @Test void emptyDockerfilesAndImagelessBuildsGetDockersErrors() {
        assertThatThrownBy(() -> build("", List.of(), Map.of())).hasMessage("the Dockerfile (Dockerfile) cannot be empty");
        assertThatThrownBy(() -> build("FROM scratch\n", List.of(), Map.of()))
                .hasMessage("No image was generated. Is your Dockerfile empty?");
        assertThat(transcript()).isEqualTo("Step 1/1 : FROM scratch|\n| ---> \n");
    }

    @Test void independentStagesAllRunAndTheirOutputKeepsStageOrder() {
        backend.script = cmd -> {
            if (cmd.getLast().equals("echo one")) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new FakeBuildBackend.Result(cmd.getLast() + "\n", "", 0);
        };
        build("FROM busybox AS one\nRUN echo one\nFROM busybox AS two\nRUN echo two\nFROM busybox\nCOPY --from=one /a /a\n"
                + "COPY --from=two /b /b\n", List.of(), Map.of());
        List<String> texts = messages.stream().map(JsonMessage::stream).filter(s -> s != null).toList();
        assertThat(texts.indexOf("echo one\n")).isLessThan(texts.indexOf("Step 3/7 : FROM busybox AS two"));
        assertThat(texts.indexOf("echo two\n")).isGreaterThan(texts.indexOf("Step 3/7 : FROM busybox AS two"));
    }

    @Test void aBuildArgDeclaredInAStageTakesTheMetaArgsDefault() {
        Map<String, String> none = new HashMap<>();
        none.put("UNSET", null);
        build("ARG V=meta\nFROM busybox\nARG V\nARG UNSET\nRUN echo $V\n", List.of(), none);
        assertThat(backend.images.values().stream().filter(i -> i.createdBy().endsWith("echo $V")).findFirst().orElseThrow().createdBy())
                .isEqualTo("|1 V=meta /bin/sh -c echo $V");
    }

    @Test void aCancelledBuildKillsItsRunAndTagsNothing() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        backend.script = cmd -> {
            running.countDown();
            try {
                backend.killed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeBuildBackend.Result("", "", 137);
        };
        frontend.dockerfile = "FROM busybox\nRUN sleep 100\n";
        var req = new BuildService.BuildRequest(List.of("app"), null, false, false, true, false, false, Map.of(), Map.of(), null,
                null, List.of(), null, List.of(), BuildService.Resources.NONE, null, "build-1", Map.of(), Map.of(), "1.50");
        var result = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> builder.build(req, new ByteArrayInputStream(new byte[0]), messages::add));
        running.await();
        assertThat(builder.cancel("build-1")).isTrue();
        assertThatThrownBy(result::join).hasRootCauseMessage("context canceled");
        assertThat(builder.cancel("build-1")).isFalse();
        assertThat(backend.tags).isEmpty();
        assertThat(backend.containers).isEmpty();
    }

    @Test void runMountsReachTheContainerAndCacheMountsAreTheBuildCache() {
        String dockerfile = "FROM busybox\nRUN true\n";
        frontend.dockerfile = dockerfile;
        var parsed = frontend.parse(dockerfile, "Dockerfile");
        var run = new io.berth.engine.build.dockerfile.Instruction.Run(parsed.stages().getFirst().instructions().getFirst().source(),
                new io.berth.engine.build.dockerfile.Instruction.Command(List.of("true"), true, List.of()),
                List.of("type=cache,target=/root/.cache,id=pip", "type=tmpfs,target=/t,size=1m", "type=secret,id=tok"), "none", null);
        var df = new io.berth.engine.build.dockerfile.Dockerfile(Map.of(), List.of(), List.of(new io.berth.engine.build.dockerfile.Dockerfile.Stage(
                0, null, "busybox", null, parsed.stages().getFirst().source(), List.of(run))));
        frontend.parsed = df;
        Builder b = builder;
        var req = new BuildService.BuildRequest(List.of(), null, false, false, false, false, false, Map.of(), Map.of(), null,
                null, List.of(), null, List.of(), BuildService.Resources.NONE, null, null, Map.of(),
                Map.of("tok", "x".getBytes()), "1.50");
        b.build(req, new ByteArrayInputStream(new byte[0]), messages::add);
        BuildBackend.RunHost host = backend.hosts.values().stream().filter(h -> !h.mounts().isEmpty()).findFirst().orElseThrow();
        assertThat(host.networkMode()).isEqualTo("none");
        assertThat(host.mounts()).extracting(BuildBackend.Mount::type, BuildBackend.Mount::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bind", "/root/.cache"), org.assertj.core.groups.Tuple.tuple("tmpfs", "/t"),
                org.assertj.core.groups.Tuple.tuple("bind", "/run/secrets/tok"));
        frontend.contextCache.put("c0ffee", new BuildService.BuildCacheRecord("c0ffee", null, "source.local",
                "local source for context", false, false, 1 << 20, "2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z", 1));
        assertThat(b.cache()).extracting(BuildService.BuildCacheRecord::type)
                .containsExactly("regular", "exec.cachemount", "source.local");
        assertThat(b.prune(io.berth.api.Filters.NONE, true, 0).cachesDeleted()).hasSize(3);
        assertThat(frontend.contextCache).as("the kept context files go with the rest").isEmpty();
        assertThatThrownBy(() -> b.prune(new io.berth.api.Filters(Map.of("dangling", List.of("true"))), false, 0))
                .isInstanceOf(io.berth.api.errors.BerthException.InvalidArgument.class)
                .hasMessage("failed to prune build cache: invalid filter 'dangling'");
        assertThat(b.cache()).isEmpty();
        assertThat(transcript()).as("without rm the container is kept quietly").doesNotContain("Removed intermediate container");
    }

    @Test void healthcheckAndVolumeHistoryIsGosFormatting() {
        var src = new io.berth.engine.build.dockerfile.Dockerfile.Source("HEALTHCHECK x", 2, 2);
        var hc = new io.berth.engine.build.dockerfile.Instruction.Healthcheck(src, List.of("CMD-SHELL", "curl -f http://x/"),
                java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(3), null, null, 3);
        var vol = new io.berth.engine.build.dockerfile.Instruction.Volume(new io.berth.engine.build.dockerfile.Dockerfile.Source(
                "VOLUME /data /logs", 3, 3), List.of("/data", "/logs"));
        frontend.parsed = new io.berth.engine.build.dockerfile.Dockerfile(Map.of(), List.of(), List.of(
                new io.berth.engine.build.dockerfile.Dockerfile.Stage(0, null, "busybox", null,
                        new io.berth.engine.build.dockerfile.Dockerfile.Source("FROM busybox", 1, 1), List.of(hc, vol))));
        String id = build("(parsed above)", List.of(), Map.of());
        assertThat(backend.history(id).stream().skip(1).map(FakeBuildBackend.FakeImage::createdBy)).containsExactly(
                "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://x/\"] \"5m0s\" \"3s\" \"0s\" \"0s\" '\\x03'}",
                "/bin/sh -c #(nop)  VOLUME [/data /logs]");
        assertThat(backend.images.get(id).config().healthcheck()).isEqualTo(Map.of("Test", List.of("CMD-SHELL", "curl -f http://x/"),
                "Interval", 300_000_000_000L, "Timeout", 3_000_000_000L, "Retries", 3));
    }
}
