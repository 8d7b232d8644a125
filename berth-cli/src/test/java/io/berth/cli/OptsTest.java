package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptsTest {
    @Test
    void memorySizes() {
        assertThat(Opts.ramInBytes("64m")).isEqualTo(64L << 20);
        assertThat(Opts.ramInBytes("1g")).isEqualTo(1L << 30);
        assertThat(Opts.ramInBytes("1GiB")).isEqualTo(1L << 30);
        assertThat(Opts.ramInBytes("512kb")).isEqualTo(512L << 10);
        assertThat(Opts.ramInBytes("1.5k")).isEqualTo(1536);
        assertThat(Opts.ramInBytes("100")).isEqualTo(100);
        assertThat(Opts.ramInBytes("32 MB")).isEqualTo(32L << 20);
        assertThat(Opts.memSwapBytes("-1")).isEqualTo(-1);
        assertThatThrownBy(() -> Opts.ramInBytes("abc")).hasMessage("invalid size: 'abc'");
        assertThatThrownBy(() -> Opts.ramInBytes("1x")).hasMessage("invalid suffix: 'x'");
        assertThatThrownBy(() -> Opts.ramInBytes("1mbb")).hasMessage("invalid suffix: 'mbb'");
    }

    @Test
    void cpus() {
        assertThat(Opts.nanoCpus("1.5")).isEqualTo(1_500_000_000L);
        assertThat(Opts.nanoCpus("0.001")).isEqualTo(1_000_000L);
        assertThat(Opts.nanoCpus("3/2")).isEqualTo(1_500_000_000L);
        assertThatThrownBy(() -> Opts.nanoCpus("x")).hasMessage("failed to parse x as a rational number");
        assertThatThrownBy(() -> Opts.nanoCpus("0.0000000001")).hasMessage("value is too precise");
    }

    @Test
    void ulimits() {
        assertThat(Opts.ulimit("nofile=1024:2048")).isEqualTo(new Opts.Ulimit("nofile", 1024, 2048));
        assertThat(Opts.ulimit("nproc=10")).isEqualTo(new Opts.Ulimit("nproc", 10, 10));
        assertThatThrownBy(() -> Opts.ulimit("nofile")).hasMessage("invalid ulimit argument: nofile");
        assertThatThrownBy(() -> Opts.ulimit("bogus=1")).hasMessage("invalid ulimit type: bogus");
        assertThatThrownBy(() -> Opts.ulimit("nofile=a")).hasMessage("strconv.ParseInt: parsing \"a\": invalid syntax");
        assertThatThrownBy(() -> Opts.ulimit("nofile=5:1")).hasMessage("ulimit soft limit must be less than or equal to hard limit: 5 > 1");
    }

    @Test
    void restartPolicies() {
        assertThat(Opts.restartPolicy("on-failure:3")).isEqualTo(new Opts.RestartPolicy("on-failure", 3));
        assertThat(Opts.restartPolicy("always")).isEqualTo(new Opts.RestartPolicy("always", 0));
        assertThat(Opts.restartPolicy("no").isNone()).isTrue();
        assertThatThrownBy(() -> Opts.restartPolicy("on-failure:x")).hasMessage("invalid restart policy format: maximum retry count must be an integer");
        assertThatThrownBy(() -> Opts.restartPolicy(":3")).hasMessage("invalid restart policy format: no policy provided before colon");
    }

    @Test
    void envFilesAndVars(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("env");
        Files.writeString(f, "\uFEFF# comment\nA=1\n  B=two words\n\nFROM_HOST\nUNSET\nC=\n");
        Map<String, String> env = Map.of("FROM_HOST", "hv", "X", "y");
        assertThat(Opts.envFile(f.toString(), env)).containsExactly("A=1", "B=two words", "FROM_HOST=hv", "C=");
        assertThat(Opts.env("X", env)).isEqualTo("X=y");
        assertThat(Opts.env("Z", env)).isEqualTo("Z");
        assertThat(Opts.env("X=1", env)).isEqualTo("X=1");
        assertThatThrownBy(() -> Opts.envFile("/nonexistent/env", env)).hasMessage("open /nonexistent/env: no such file or directory");
        Files.writeString(f, "BAD KEY=1\n");
        assertThatThrownBy(() -> Opts.envFile(f.toString(), env)).hasMessage("variable 'BAD KEY' contains whitespaces");
    }

    @Test
    void portSpecs() {
        Opts.Ports p = Opts.ports(List.of("8080:80", "127.0.0.1:53:53/udp", "9000-9001:9000-9001", "443", "[::1]:8443:443"));
        assertThat(p.exposed().keySet()).containsExactly("80/tcp", "53/udp", "9000/tcp", "9001/tcp", "443/tcp");
        assertThat(p.bindings().get("80/tcp")).containsExactly(new Opts.PortBinding("", "8080"));
        assertThat(p.bindings().get("53/udp")).containsExactly(new Opts.PortBinding("127.0.0.1", "53"));
        assertThat(p.bindings().get("9001/tcp")).containsExactly(new Opts.PortBinding("", "9001"));
        assertThat(p.bindings().get("443/tcp")).containsExactly(new Opts.PortBinding("", ""), new Opts.PortBinding("::1", "8443"));
        assertThat(Opts.ports(List.of("8000-8010:80")).bindings().get("80/tcp")).containsExactly(new Opts.PortBinding("", "8000-8010"));
        assertThatThrownBy(() -> Opts.ports(List.of("abc"))).hasMessage("invalid containerPort: abc");
        assertThatThrownBy(() -> Opts.ports(List.of("x:80"))).hasMessage("invalid hostPort: x");
        assertThatThrownBy(() -> Opts.ports(List.of("80/foo"))).hasMessage("invalid proto: foo");
        assertThatThrownBy(() -> Opts.ports(List.of("1.2.3:80:80"))).hasMessage("invalid IP address: 1.2.3");
    }

    @Test
    void hostsDevicesSecurityOpts() {
        assertThat(Opts.extraHost("db:10.0.0.2")).isEqualTo("db:10.0.0.2");
        assertThat(Opts.extraHost("db=10.0.0.2")).isEqualTo("db:10.0.0.2");
        assertThat(Opts.extraHost("gw:host-gateway")).isEqualTo("gw:host-gateway");
        assertThatThrownBy(() -> Opts.extraHost("bad")).hasMessage("bad format for add-host: \"bad\"");
        assertThat(Opts.device("/dev/fuse")).containsEntry("PathInContainer", "/dev/fuse").containsEntry("CgroupPermissions", "rwm");
        assertThat(Opts.device("/dev/sda:/dev/xvda:r")).containsEntry("PathInContainer", "/dev/xvda").containsEntry("CgroupPermissions", "r");
        assertThat(Opts.securityOpt("no-new-privileges")).isEqualTo("no-new-privileges");
        assertThat(Opts.securityOpt("label=disable")).isEqualTo("label=disable");
        assertThatThrownBy(() -> Opts.securityOpt("bad")).hasMessage("Invalid --security-opt: \"bad\"");
    }

    @Test
    void psHelpers() throws Exception {
        JsonNode ports = Json.wire().readTree("""
                [{"PrivatePort":81,"Type":"tcp"},{"PrivatePort":80,"Type":"tcp"},{"PrivatePort":82,"Type":"tcp"},{"PrivatePort":90,"Type":"udp"},
                 {"IP":"0.0.0.0","PrivatePort":8000,"PublicPort":8000,"Type":"tcp"},{"IP":"::","PrivatePort":22,"PublicPort":2222,"Type":"tcp"}]""");
        assertThat(ContainerCommands.displayablePorts(ports)).isEqualTo("80-82/tcp, 90/udp, 0.0.0.0:8000->8000/tcp, [::]:2222->22/tcp");
        assertThat(GoQuote.quote(ImageCommands.ellipsis("/bin/sh -c 'echo \"hi\"; sleep 100'", 20))).isEqualTo("\"/bin/sh -c 'echo \\\"h…\"");
        assertThat(GoQuote.quote("short")).isEqualTo("\"short\"");
        JsonNode c = Json.wire().readTree("{\"Image\":\"docker.io/library/busybox:latest\",\"ImageID\":\"sha256:abc\"}");
        assertThat(ContainerCommands.image(c, true)).isEqualTo("busybox:latest");
        assertThat(ContainerCommands.image(c, false)).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ContainerStatus.describe(Json.wire().readTree("{\"Running\":true,\"StartedAt\":\"2023-11-14T22:13:17Z\"}"),
                Instant.ofEpochSecond(1_700_000_000L))).isEqualTo("Up 3 seconds");
        assertThat(ContainerStatus.describe(Json.wire().readTree("{\"Running\":true,\"Paused\":true,\"StartedAt\":\"2023-11-14T22:13:19Z\"}"),
                Instant.ofEpochSecond(1_700_000_000L))).isEqualTo("Up 1 second (Paused)");
        assertThat(ContainerStatus.describe(Json.wire().readTree("{\"Running\":false,\"ExitCode\":0,\"StartedAt\":\"2023-11-14T22:00:00Z\","
                + "\"FinishedAt\":\"2023-11-14T22:11:20Z\"}"), Instant.ofEpochSecond(1_700_000_000L))).isEqualTo("Exited (0) 2 minutes ago");
        assertThat(ContainerStatus.describe(Json.wire().readTree("{\"Running\":false,\"StartedAt\":\"0001-01-01T00:00:00Z\"}"),
                Instant.ofEpochSecond(1_700_000_000L))).isEqualTo("Created");
    }

    @Test
    void timestampsAndDurations() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertThat(ContainerCommands.timestamp("1h30m", now)).isEqualTo("1699994600.000000000");
        assertThat(ContainerCommands.timestamp("1699990000", now)).isEqualTo("1699990000");
        assertThat(ContainerCommands.timestamp("2023-11-14T00:00:00Z", now)).isEqualTo("1699920000.000000000");
        assertThat(GoDuration.parse("1.5s")).hasMillis(1500);
        assertThat(GoDuration.parse("abc")).isNull();
    }
}
