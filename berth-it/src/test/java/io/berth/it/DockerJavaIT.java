package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.Images;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issues 3 and 10: docker-java (3.4.1, zerodep transport) drives containers and builds on berthd's unix socket. */
class DockerJavaIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerClient client;

    @BeforeAll
    static void connect() {
        Images.importBusybox(daemon.docker(), "busybox:latest", "CMD [\"sh\"]");
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(daemon.host())
                .withDockerConfig(daemon.scratch().toString()).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(daemon.host()))
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(60)).build();
        client = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void close() throws Exception {
        if (client != null) client.close();
    }

    /** Collects frames into stdout and stderr. */
    static final class Collect extends ResultCallback.Adapter<Frame> {
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();

        @Override public void onNext(Frame f) {
            String s = new String(f.getPayload(), StandardCharsets.UTF_8);
            if (f.getStreamType() == StreamType.STDERR) err.append(s);
            else out.append(s);
        }
    }

    @Test
    void buildImageCmdReturnsTheImageId() throws Exception {
        java.nio.file.Path ctx = io.berth.it.support.BuildContexts.context(daemon.scratch(),
                "FROM busybox\nARG A\nRUN echo \"$A\" > /a\n");
        String id = client.buildImageCmd(ctx.toFile()).withTags(java.util.Set.of("dj-built:1")).withBuildArg("A", "from-java")
                .start().awaitImageId(60, TimeUnit.SECONDS);
        assertThat(Images.inspect(daemon.docker(), "dj-built:1").path("Id").asText()).startsWith("sha256:" + id);
        assertThat(daemon.docker().ok("run", "--rm", "--network", "none", "dj-built:1", "cat", "/a")).isEqualTo("from-java\n");
    }

    @Test
    void createStartAttachWaitLogs() throws Exception {
        CreateContainerResponse c = client.createContainerCmd("busybox").withName("dj1")
                .withCmd("sh", "-c", "sleep 1; echo to-out; echo to-err >&2; exit 3").exec();
        Collect attached = new Collect();
        client.attachContainerCmd(c.getId()).withStdOut(true).withStdErr(true).withFollowStream(true).exec(attached);
        Thread.sleep(200); // the attach must be in place before the start
        client.startContainerCmd(c.getId()).exec();
        int code = client.waitContainerCmd(c.getId()).start().awaitStatusCode(30, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(3);
        attached.awaitCompletion(10, TimeUnit.SECONDS);
        assertThat(attached.out.toString()).isEqualTo("to-out\n");
        assertThat(attached.err.toString()).isEqualTo("to-err\n");

        var inspect = client.inspectContainerCmd(c.getId()).exec();
        assertThat(inspect.getName()).isEqualTo("/dj1");
        assertThat(inspect.getState().getExitCodeLong()).isEqualTo(3L);
        assertThat(inspect.getState().getStatus()).isEqualTo("exited");

        Collect logs = new Collect();
        client.logContainerCmd(c.getId()).withStdOut(true).withStdErr(true).exec(logs).awaitCompletion(10, TimeUnit.SECONDS);
        assertThat(logs.out.toString()).isEqualTo("to-out\n");
        assertThat(logs.err.toString()).isEqualTo("to-err\n");
        Collect tail = new Collect();
        client.logContainerCmd(c.getId()).withStdOut(true).withStdErr(false).withTail(1).exec(tail).awaitCompletion(10, TimeUnit.SECONDS);
        assertThat(tail.out.toString() + tail.err).isIn("to-out\n", "");

        assertThat(client.listContainersCmd().withShowAll(true).exec()).anyMatch(x -> x.getId().equals(c.getId()));
        client.removeContainerCmd(c.getId()).exec();
        Containers.assertNoLeftovers(daemon, c.getId());
    }

    @Test
    void execAndCopy() throws Exception {
        CreateContainerResponse c = client.createContainerCmd("busybox").withCmd("sleep", "300").exec();
        client.startContainerCmd(c.getId()).exec();

        ExecCreateCmdResponse ex = client.execCreateCmd(c.getId()).withAttachStdout(true).withAttachStderr(true)
                .withCmd("sh", "-c", "echo exec-out; echo exec-err >&2; echo payload > /tmp/file.txt; exit 4").exec();
        Collect out = new Collect();
        client.execStartCmd(ex.getId()).exec(out).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(out.out.toString()).isEqualTo("exec-out\n");
        assertThat(out.err.toString()).isEqualTo("exec-err\n");
        var exInspect = client.inspectExecCmd(ex.getId()).exec();
        assertThat(exInspect.getExitCodeLong()).isEqualTo(4L);
        assertThat(exInspect.isRunning()).isFalse();

        try (InputStream tar = client.copyArchiveFromContainerCmd(c.getId(), "/tmp/file.txt").exec()) {
            byte[] all = tar.readAllBytes();
            assertThat(new String(all, 0, 100, StandardCharsets.UTF_8)).startsWith("file.txt");
            assertThat(new String(all, 512, 8, StandardCharsets.UTF_8)).isEqualTo("payload\n");
        }

        // and back in: a tar made by hand
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var w = new io.berth.it.support.TarWriter(tar)) {
            w.file("in.txt", 0644, "copied in\n");
        }
        client.copyArchiveToContainerCmd(c.getId()).withRemotePath("/tmp")
                .withTarInputStream(new java.io.ByteArrayInputStream(tar.toByteArray())).exec();
        ExecCreateCmdResponse cat = client.execCreateCmd(c.getId()).withAttachStdout(true).withCmd("cat", "/tmp/in.txt").exec();
        Collect catOut = new Collect();
        client.execStartCmd(cat.getId()).exec(catOut).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(catOut.out.toString()).isEqualTo("copied in\n");

        client.killContainerCmd(c.getId()).exec();
        client.removeContainerCmd(c.getId()).withForce(true).exec();
        Containers.assertNoLeftovers(daemon, c.getId());
    }
}
