package io.berth.cli;

import io.berth.client.FakeDaemon;

import static io.berth.cli.CommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpStatsTest {
    static final String STATS = """
            {"id":"4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2","name":"/web",
             "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":20000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":10000000000,"online_cpus":2},
             "memory_stats":{"usage":10485760,"limit":104857600,"stats":{"inactive_file":2097152}},
             "networks":{"eth0":{"rx_bytes":1500,"tx_bytes":648}},
             "blkio_stats":{"io_service_bytes_recursive":[{"op":"read","value":4096},{"op":"write","value":1048576}]},
             "pids_stats":{"current":3}}
            """;

    @Test
    void statsNoStream() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> FakeDaemon.Response.json(200, STATS))) {
            CommandTest.Result r = run(d, "", "stats", "--no-stream", "web");
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo("""
                    CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O         BLOCK I/O       PIDS
                    4fa6e0f0c678   web       4.00%     8MiB / 100MiB       8.00%     1.5kB / 648B    4.1kB / 1.05MB   3
                    """.replace("NET I/O         BLOCK I/O       PIDS", "NET I/O        BLOCK I/O        PIDS")
                    .replace("1.5kB / 648B    4.1kB", "1.5kB / 648B   4.1kB"));
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/web/stats?stream=0");
            assertThat(run(d, "", "stats", "--no-stream", "--format", "{{.Container}} {{.CPUPerc}} {{.PIDs}}", "web").out()).isEqualTo("web 4.00% 3\n");
        }
    }

    @Test
    void cpFromContainerExtractsAndRenames(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/a.txt"), "hello");
        byte[] tar = Tar.bytes(src, "etc");
        try (FakeDaemon d = CommandTest.daemon(r -> new FakeDaemon.Response(200, "application/x-tar", tar, null, Map.of()))) {
            Path out = dir.resolve("out");
            Files.createDirectories(out);
            assertThat(run(d, "", "cp", "web:/etc", out.toString()).code()).isZero();
            assertThat(Files.readString(out.resolve("etc/sub/a.txt"))).isEqualTo("hello");
            assertThat(URLDecoder.decode(d.requests.getLast().query(), StandardCharsets.UTF_8)).isEqualTo("path=/etc");
            assertThat(run(d, "", "cp", "web:/etc", dir.resolve("renamed").toString()).code()).isZero();
            assertThat(Files.readString(dir.resolve("renamed/sub/a.txt"))).isEqualTo("hello");
            assertThat(run(d, "", "cp", "web:/etc", "-").out().getBytes(StandardCharsets.ISO_8859_1)).hasSize(tar.length);
        }
    }

    @Test
    void cpToContainerStatsThenPuts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("file.txt");
        Files.writeString(f, "data");
        String dirStat = java.util.Base64.getEncoder().encodeToString(
                ("{\"name\":\"tmp\",\"size\":4096,\"mode\":" + ((1L << 31) | 0777) + ",\"mtime\":\"2024-01-01T00:00:00Z\",\"linkTarget\":\"\"}").getBytes());
        try (FakeDaemon d = CommandTest.daemon(r -> r.method().equals("HEAD")
                ? new FakeDaemon.Response(200, "application/json", new byte[0], null, Map.of("X-Docker-Container-Path-Stat", dirStat))
                : new FakeDaemon.Response(200, "text/plain", new byte[0], null, Map.of()))) {
            CommandTest.Result r = run(d, "", "cp", f.toString(), "web:/tmp");
            assertThat(r.err()).isEmpty();
            FakeDaemon.Request put = d.requests.getLast();
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(URLDecoder.decode(put.query(), StandardCharsets.UTF_8)).isEqualTo("path=/tmp&noOverwriteDirNonDir=true");
            Path out = dir.resolve("x");
            Files.createDirectories(out);
            Tar.extract(new ByteArrayInputStream(put.body()), out, n -> n);
            assertThat(Files.readString(out.resolve("file.txt"))).isEqualTo("data");
            r = run(d, "", "cp", "a", "b");
            assertThat(r.err()).isEqualTo("must specify at least one container source\n");
            r = run(d, "", "cp", "a:/x", "b:/y");
            assertThat(r.err()).isEqualTo("copying between containers is not supported\n");
        }
    }

    @Test
    void tarRoundTripWithLongNamesAndLinks(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("s");
        String longName = "d".repeat(60) + "/" + "f".repeat(70);
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve(longName), "long");
        Files.createSymbolicLink(src.resolve("link"), Path.of("target"));
        Path out = dir.resolve("o");
        Files.createDirectories(out);
        Tar.extract(new ByteArrayInputStream(Tar.bytes(src, "top")), out, n -> n);
        assertThat(Files.readString(out.resolve("top").resolve(longName))).isEqualTo("long");
        assertThat(Files.readSymbolicLink(out.resolve("top/link"))).isEqualTo(Path.of("target"));
    }
}
