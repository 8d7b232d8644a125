package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.build.BuildSecretsHeader;
import io.berth.client.FakeDaemon;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth build}: the context it tars ({@code .dockerignore}, {@code -f}, stdin), its flags and its output. */
class BuildCommandTest {
    static final String ID = "sha256:" + "0123456789ab".repeat(5) + "0123";

    @TempDir Path dir;

    Path context(String ignore) throws IOException {
        Path c = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(c.resolve("Dockerfile"), "FROM busybox\nCOPY . /app\n");
        if (ignore != null) Files.writeString(c.resolve(".dockerignore"), ignore);
        Files.writeString(c.resolve("a.txt"), "a");
        Files.writeString(c.resolve("b.log"), "b");
        Files.createDirectories(c.resolve("secret"));
        Files.writeString(c.resolve("secret/x"), "x");
        Files.writeString(c.resolve("secret/keep"), "k");
        Files.createDirectories(c.resolve("sub/deep"));
        Files.writeString(c.resolve("sub/deep/c.log"), "c");
        Files.writeString(c.resolve("sub/c.txt"), "c");
        return c;
    }

    /** The names and contents of a tar's entries, in order (directories with an empty content). */
    static Map<String, String> entries(byte[] tar) {
        Map<String, String> out = new LinkedHashMap<>();
        int off = 0;
        while (off + 512 <= tar.length && tar[off] != 0) {
            String name = new String(tar, off, 100, StandardCharsets.UTF_8).replace("\0", "");
            long size = Long.parseLong(new String(tar, off + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            out.put(name, new String(tar, off + 512, (int) size, StandardCharsets.UTF_8));
            off += 512 + (int) ((size + 511) / 512 * 512);
        }
        return out;
    }

    static byte[] tar(BuildCommand.Source s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.writer().write(b);
        return b.toByteArray();
    }

    static BuildCommand command(String file) {
        BuildCommand c = new BuildCommand();
        c.file = file;
        return c;
    }

    @Test void dockerignoreFiltersTheContextButKeepsTheBuildFiles() throws Exception {
        Path c = context("# comment\n*.log\n**/*.log\nsecret\n!secret/keep\nDockerfile\n.dockerignore\n");
        BuildCommand.Source s = command(null).source(c.toString(), InputStream.nullInputStream());
        assertThat(s.dockerfile()).isEqualTo("Dockerfile");
        assertThat(entries(tar(s)).keySet()).containsExactly(".dockerignore", "Dockerfile", "a.txt", "secret/keep", "sub/",
                "sub/c.txt", "sub/deep/");
    }

    @Test void aDockerfilesOwnIgnoreFileTakesThePlaceOfTheContexts() throws Exception {
        Path c = context("*.log\n");
        Files.createDirectories(c.resolve("build"));
        Files.writeString(c.resolve("build/app.Dockerfile"), "FROM busybox\n");
        Files.writeString(c.resolve("build/app.Dockerfile.dockerignore"), "secret\nsub\n");
        BuildCommand.Source s = command(c.resolve("build/app.Dockerfile").toString()).source(c.toString(), InputStream.nullInputStream());
        assertThat(s.dockerfile()).isEqualTo("build/app.Dockerfile");
        assertThat(entries(tar(s)).keySet()).as("*.log of .dockerignore no longer applies; secret and sub do")
                .containsExactly(".dockerignore", "Dockerfile", "a.txt", "b.log", "build/", "build/app.Dockerfile",
                        "build/app.Dockerfile.dockerignore");
        // the context's own Dockerfile has no such file: .dockerignore applies
        assertThat(entries(tar(command(null).source(c.toString(), InputStream.nullInputStream()))).keySet())
                .doesNotContain("b.log").contains("secret/x");
    }

    @Test void withoutDockerignoreEverythingGoes() throws Exception {
        Path c = context(null);
        assertThat(entries(tar(command(null).source(c.toString(), InputStream.nullInputStream()))).keySet())
                .containsExactly("Dockerfile", "a.txt", "b.log", "secret/", "secret/keep", "secret/x", "sub/", "sub/c.txt",
                        "sub/deep/", "sub/deep/c.log");
    }

    @Test void aDockerfileOutsideTheContextIsAddedUnderARandomName() throws Exception {
        Path c = context("*.log\n");
        Path outside = Files.writeString(dir.resolve("Other.Dockerfile"), "FROM scratch\n");
        BuildCommand.Source s = command(outside.toString()).source(c.toString(), InputStream.nullInputStream());
        assertThat(s.dockerfile()).matches("\\.dockerfile\\.[0-9a-f]{20}");
        Map<String, String> e = entries(tar(s));
        assertThat(e).containsEntry(s.dockerfile(), "FROM scratch\n");
        assertThat(e.get(".dockerignore")).isEqualTo("*.log\n\n" + s.dockerfile() + "\n");
        assertThat(e).containsKey("Dockerfile").doesNotContainKey("b.log");
    }

    @Test void aDockerfileInASubdirectoryIsNamedRelativeToTheContext() throws Exception {
        Path c = context("sub\n");
        Files.writeString(c.resolve("sub/Dockerfile.dev"), "FROM busybox\n");
        BuildCommand.Source s = command(c.resolve("sub/Dockerfile.dev").toString()).source(c.toString(), InputStream.nullInputStream());
        assertThat(s.dockerfile()).isEqualTo("sub/Dockerfile.dev");
        assertThat(entries(tar(s)).keySet()).contains("sub/Dockerfile.dev").doesNotContain("sub/c.txt", "sub/");
    }

    @Test void dockerfileFromStdin() throws Exception {
        Path c = context(null);
        BuildCommand.Source s = command("-").source(c.toString(), new ByteArrayInputStream("FROM busybox\n".getBytes(StandardCharsets.UTF_8)));
        Map<String, String> e = entries(tar(s));
        assertThat(e).containsEntry(s.dockerfile(), "FROM busybox\n").containsEntry(".dockerignore", "\n" + s.dockerfile() + "\n");
    }

    @Test void contextFromStdinIsATarOrADockerfile() throws Exception {
        BuildCommand.Source text = command(null).source("-", new ByteArrayInputStream("FROM busybox\nRUN true\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(text.dockerfile()).isEqualTo("Dockerfile");
        assertThat(entries(tar(text))).containsExactly(Map.entry("Dockerfile", "FROM busybox\nRUN true\n"));
        byte[] tar = tar(command(null).source(context(null).toString(), InputStream.nullInputStream()));
        BuildCommand.Source archive = command("sub/Dockerfile").source("-", new ByteArrayInputStream(tar));
        assertThat(tar(archive)).isEqualTo(tar);
        assertThat(archive.dockerfile()).isEqualTo("sub/Dockerfile");
        assertThatThrownBy(() -> command("-").source("-", InputStream.nullInputStream()))
                .hasMessage("invalid argument: can't use stdin for both build context and dockerfile");
    }

    @Test void urlsAreRemoteContextsAndMissingPathsAreErrors() throws Exception {
        BuildCommand.Source s = command(null).source("http://127.0.0.1:1/ctx.tar", InputStream.nullInputStream());
        assertThat(s.writer()).isNull();
        assertThat(s.remote()).isEqualTo("http://127.0.0.1:1/ctx.tar");
        assertThatThrownBy(() -> command(null).source(dir.resolve("nope").toString(), InputStream.nullInputStream()))
                .hasMessageContaining("unable to prepare context: path");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> command(null).source(empty.toString(), InputStream.nullInputStream()))
                .hasMessage("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                        + empty.resolve("Dockerfile") + ": no such file or directory");
    }

    @Test void buildArgsLabelsAndSecrets() throws Exception {
        Map<String, String> args = BuildCommand.buildArgs(List.of("A=1", "B", "C", "D="), Map.of("B", "from-env"));
        assertThat(args).containsEntry("A", "1").containsEntry("B", "from-env").containsEntry("C", null).containsEntry("D", "");
        assertThat(BuildCommand.labels(List.of("a=b", "c"))).containsExactly(Map.entry("a", "b"), Map.entry("c", ""));
        Path f = Files.writeString(dir.resolve("tok"), "s3cret");
        Map<String, byte[]> s = BuildCommand.secrets(List.of("id=t,src=" + f, "id=e,env=TOKEN", "type=env,id=TOKEN"), Map.of("TOKEN", "v"));
        assertThat(new String(s.get("t"), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(new String(s.get("e"), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(new String(s.get("TOKEN"), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThatThrownBy(() -> BuildCommand.secrets(List.of("id=x,src=" + dir.resolve("missing")), Map.of()))
                .hasMessageContaining("no such file or directory");
    }

    static final String STREAM = "{\"stream\":\"Step 1/2 : FROM busybox\"}\r\n{\"stream\":\"\\n\"}\r\n"
            + "{\"stream\":\" ---\\u003e 0123456789ab\\n\"}\r\n{\"aux\":{\"ID\":\"" + ID + "\"}}\r\n"
            + "{\"stream\":\"Successfully built 0123456789ab\\n\"}\r\n";

    @Test void flagsReachTheDaemonAndTheStreamIsPrinted() throws Exception {
        Path c = context(null);
        Path secret = Files.writeString(dir.resolve("s"), "pw");
        Path iid = dir.resolve("iid");
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json", STREAM))) {
            CommandTest.Result r = CommandTest.run(d, "", "build", "-t", "a:1", "-t", "b", "--build-arg", "X=1",
                    "--label", "l=v", "--target", "t", "--no-cache", "--pull", "--network", "none", "--add-host", "h:1.2.3.4",
                    "--platform", "linux/amd64", "--secret", "id=pw,src=" + secret, "--iidfile", iid.toString(), c.toString());
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).matches("(?s)Sending build context to Docker daemon +\\d+(\\.\\d+)?kB\n"
                    + "Step 1/2 : FROM busybox\n ---> 0123456789ab\nSuccessfully built 0123456789ab\n");
            assertThat(Files.readString(iid)).isEqualTo(ID);
            FakeDaemon.Request req = d.requests.getLast();
            assertThat(req.path()).isEqualTo("/v1.47/build");
            assertThat(URLDecoder.decode(req.query(), StandardCharsets.UTF_8)).isEqualTo("t=a:1&t=b&dockerfile=Dockerfile"
                    + "&nocache=1&rm=1&pull=1&target=t&networkmode=none&extrahosts=h:1.2.3.4&platform=linux/amd64&version=1"
                    + "&buildargs={\"X\":\"1\"}&labels={\"l\":\"v\"}");
            String secrets = req.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(BuildSecretsHeader.NAME))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            assertThat(BuildSecretsHeader.decode(secrets).get("pw")).asString(StandardCharsets.UTF_8).isEqualTo("pw");
            assertThat(entries(req.body())).containsKeys("Dockerfile", "a.txt");
        }
    }

    @Test void aFailedRunExitsWithItsCode() throws Exception {
        Path c = context(null);
        String failed = "{\"stream\":\"Step 2/2 : RUN exit 3\"}\r\n{\"errorDetail\":{\"code\":3,\"message\":"
                + "\"The command '/bin/sh -c exit 3' returned a non-zero code: 3\"},\"error\":\"The command '/bin/sh -c exit 3' "
                + "returned a non-zero code: 3\"}\r\n";
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json", failed))) {
            CommandTest.Result r = CommandTest.run(d, "", "build", c.toString());
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n");
        }
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json",
                "{\"error\":\"COPY failed\",\"errorDetail\":{\"message\":\"COPY failed\"}}\r\n"))) {
            assertThat(CommandTest.run(d, "", "build", c.toString()).code()).isEqualTo(1);
        }
    }

    @Test void quietPrintsOnlyTheId() throws Exception {
        Path c = context(null);
        Path iid = dir.resolve("iid");
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json", "{\"stream\":\"" + ID + "\\n\"}\r\n"))) {
            CommandTest.Result r = CommandTest.run(d, "", "build", "-q", "--iidfile", iid.toString(), c.toString());
            assertThat(r.out()).isEqualTo(ID + "\n");
            assertThat(Files.readString(iid)).isEqualTo(ID);
            assertThat(d.requests.getLast().query()).contains("q=1");
        }
    }

    @Test void unknownFlagsAndArgumentCountAsDocker() {
        CommandTest.Result r = CommandTest.run(null, "", "build");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("berth: 'berth build' requires 1 argument");
        assertThat(CommandTest.run(null, "", "build", "--add-host", "nohost", ".").err())
                .startsWith("invalid argument \"nohost\" for \"--add-host\" flag: bad format for add-host: \"nohost\"");
    }
}
