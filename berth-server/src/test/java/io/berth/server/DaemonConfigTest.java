package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest {
    @TempDir Path dir;

    Path file(String json) throws Exception {
        Path p = dir.resolve("daemon.json");
        Files.writeString(p, json);
        return p;
    }

    @Test void flagsWithDockerdNames() throws Exception {
        DaemonConfig c = DaemonConfig.load(new String[] {"-H", "unix:///tmp/a.sock", "--host=tcp://127.0.0.1:2376", "--data-root", "/d",
                "--exec-root=/e", "-D", "--label", "a=b", "--config-file", file("{}").toString()});
        assertThat(c.hosts()).containsExactly("unix:///tmp/a.sock", "tcp://127.0.0.1:2376");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/d"));
        assertThat(c.pidFile()).isEqualTo(Path.of("/e/berthd.pid"));
        assertThat(c.debug()).isTrue();
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.labels()).containsExactly("a=b");
        assertThat(DaemonConfig.load(new String[] {"-v"}).action()).isEqualTo(DaemonConfig.Action.VERSION);
        assertThat(DaemonConfig.load(new String[] {"--help"}).action()).isEqualTo(DaemonConfig.Action.HELP);
    }

    @Test void daemonJsonKeys() throws Exception {
        Path f = file("{\"hosts\":[\"unix:///x.sock\"],\"data-root\":\"/dr\",\"log-level\":\"warn\",\"labels\":[\"k=v\"],\"pidfile\":\"/p.pid\"}");
        DaemonConfig c = DaemonConfig.load(new String[] {"--config-file", f.toString()});
        assertThat(c.hosts()).containsExactly("unix:///x.sock");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/dr"));
        assertThat(c.logLevel()).isEqualTo("warn");
        assertThat(c.pidFile()).isEqualTo(Path.of("/p.pid"));
    }

    @Test void runtimesByFlagAndByDaemonJson() throws Exception {
        DaemonConfig flags = DaemonConfig.load(new String[] {"--add-runtime", "fast=/usr/bin/crun", "--add-runtime=other=/opt/rt",
                "--default-runtime", "fast", "--config-file", file("{}").toString()});
        assertThat(flags.runtimes()).containsOnlyKeys("fast", "other");
        assertThat(flags.runtimes().get("fast").path()).isEqualTo("/usr/bin/crun");
        assertThat(flags.defaultRuntime()).isEqualTo("fast");
        Path f = file("{\"default-runtime\":\"runc\",\"runtimes\":{\"kata\":{\"path\":\"/opt/kata\",\"runtimeArgs\":[\"--debug\"]}}}");
        DaemonConfig json = DaemonConfig.load(new String[] {"--config-file", f.toString()});
        assertThat(json.defaultRuntime()).isEqualTo("runc");
        assertThat(json.runtimes().get("kata").args()).containsExactly("--debug");
        assertThat(DaemonConfig.load(new String[] {"--config-file", file("{}").toString()}).defaultRuntime()).isNull();

        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--add-runtime", "fast"})).hasMessage("invalid runtime argument: fast");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--add-runtime", "runc=/x"})).hasMessage("runtime name 'runc' is reserved");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--add-runtime", "a=/x", "--add-runtime", "a=/y"}))
                .hasMessage("runtime 'a' was already defined");
        Path both = file("{\"default-runtime\":\"crun\"}");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", both.toString(), "--default-runtime", "runc"}))
                .hasMessageEndingWith("default-runtime: (from flag: runc, from file: crun)");
    }

    @Test void errorsUseDockerdsWording() throws Exception {
        Path unknown = file("{\"foo\":1,\"data-root\":\"/x\"}");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", unknown.toString()}))
                .hasMessage("unable to configure the Docker daemon with file " + unknown
                        + ": the following directives don't match any configuration option: foo");
        Path both = file("{\"data-root\":\"/file\"}");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", both.toString(), "--data-root", "/flag"}))
                .hasMessage("unable to configure the Docker daemon with file " + both
                        + ": the following directives are specified both as a flag and in the configuration file: "
                        + "data-root: (from flag: /flag, from file: /file)");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", dir.resolve("none.json").toString()}))
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--bogus"})).hasMessage("unknown flag: --bogus");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--log-level", "loud", "--config-file", file("{}").toString()}))
                .hasMessage("unable to parse logging level: loud");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"-H", "udp://x", "--config-file", file("{}").toString()}))
                .hasMessage("Invalid bind address format: udp://x");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--data-root"})).hasMessage("flag needs an argument: --data-root");
    }

    @Test void addresses() throws Exception {
        assertThat(DaemonConfig.address("unix:///run/x.sock")).isEqualTo(UnixDomainSocketAddress.of("/run/x.sock"));
        assertThat(DaemonConfig.address("tcp://127.0.0.1:2375")).isEqualTo(new InetSocketAddress("127.0.0.1", 2375));
        assertThat(DaemonConfig.address("tcp://:2375")).isEqualTo(new InetSocketAddress("127.0.0.1", 2375));
    }

    @Test void registrySettingsFromFlags() throws Exception {
        Path f = file("{}");
        DaemonConfig c = DaemonConfig.load(new String[] {"--config-file", f.toString(), "--registry-mirror", "https://mirror.example",
                "--registry-mirror=http://10.0.0.5:5000/", "--insecure-registry", "10.1.2.3/16", "--insecure-registry=myreg:5000",
                "--insecure-registry", "http://other.example", "--max-concurrent-downloads", "6", "--max-concurrent-uploads=2"});
        var r = c.registry();
        assertThat(r.mirrors()).containsExactly("https://mirror.example/", "http://10.0.0.5:5000/");
        assertThat(r.insecureRegistries()).containsExactly("10.1.0.0/16", "myreg:5000", "other.example");
        assertThat(r.maxConcurrentDownloads()).isEqualTo(6);
        assertThat(r.maxConcurrentUploads()).isEqualTo(2);
        assertThat(r.certsDir()).isEqualTo(dir.resolve("certs.d"));
    }

    @Test void registryDefaults() throws Exception {
        var r = DaemonConfig.load(new String[] {"--config-file", file("{}").toString()}).registry();
        assertThat(r.mirrors()).isEmpty();
        assertThat(r.insecureRegistries()).isEmpty();
        assertThat(r.maxConcurrentDownloads()).isEqualTo(3);
        assertThat(r.maxConcurrentUploads()).isEqualTo(5);
        assertThat(r.certsDir()).isEqualTo(dir.resolve("certs.d"));
    }

    @Test void registrySettingsFromDaemonJson() throws Exception {
        Path f = file("""
                {"registry-mirrors":["https://m.example/"],"insecure-registries":["fd00::1/64","[::1]:5000"],
                 "max-concurrent-downloads":10,"max-concurrent-uploads":1,"registry-certs-dir":"/srv/certs"}""");
        var r = DaemonConfig.load(new String[] {"--config-file", f.toString()}).registry();
        assertThat(r.mirrors()).containsExactly("https://m.example/");
        assertThat(r.insecureRegistries()).containsExactly("fd00::/64", "[::1]:5000");
        assertThat(r.maxConcurrentDownloads()).isEqualTo(10);
        assertThat(r.maxConcurrentUploads()).isEqualTo(1);
        assertThat(r.certsDir()).isEqualTo(Path.of("/srv/certs"));
    }

    @Test void servedRegistryFromFlagOrDaemonJson() throws Exception {
        var none = DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--data-root", "/d"});
        assertThat(none.registryAddr()).isNull();
        assertThat(none.registryRoot()).isEqualTo(Path.of("/d/registry"));
        var flag = DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--registry-addr", "127.0.0.1:5000"});
        assertThat(flag.registryAddr()).isEqualTo("127.0.0.1:5000");
        var json = DaemonConfig.load(new String[] {"--config-file", file("{\"registry-addr\":\":5001\",\"registry-root\":\"/srv/reg\"}").toString()});
        assertThat(json.registryAddr()).isEqualTo(":5001");
        assertThat(json.registryRoot()).isEqualTo(Path.of("/srv/reg"));
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--registry-addr", "nohost"}))
                .hasMessageContaining("--registry-addr");
    }

    @Test void metricsAddressFromFlagOrDaemonJson() throws Exception {
        assertThat(DaemonConfig.load(new String[] {"--config-file", file("{}").toString()}).metricsAddr()).isNull();
        var flag = DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--metrics-addr", "127.0.0.1:9323"});
        assertThat(flag.metricsAddr()).isEqualTo("127.0.0.1:9323");
        assertThat(DaemonConfig.tcpAddress(flag.metricsAddr())).isEqualTo(new java.net.InetSocketAddress("127.0.0.1", 9323));
        var json = DaemonConfig.load(new String[] {"--config-file", file("{\"metrics-addr\":\"[::1]:9324\"}").toString()});
        assertThat(DaemonConfig.tcpAddress(json.metricsAddr())).isEqualTo(new java.net.InetSocketAddress("::1", 9324));
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--metrics-addr", "9323"}))
                .hasMessage("invalid argument \"9323\" for \"--metrics-addr\" flag: must be HOST:PORT");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", file("{\"metrics-addr\":\":1\"}").toString(),
                "--metrics-addr", ":2"})).hasMessageContaining("metrics-addr: (from flag: :2, from file: :1)");
    }

    @Test void cgroupFavorDynmodsIsOnUnlessTurnedOff() throws Exception {
        assertThat(DaemonConfig.load(new String[] {"--config-file", file("{}").toString()}).cgroupFavorDynmods()).isTrue();
        assertThat(DaemonConfig.load(new String[] {"--config-file", file("{}").toString(), "--cgroup-favordynmods=false"})
                .cgroupFavorDynmods()).isFalse();
        assertThat(DaemonConfig.load(new String[] {"--config-file", file("{\"cgroup-favordynmods\":false}").toString()})
                .cgroupFavorDynmods()).isFalse();
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", file("{\"cgroup-favordynmods\":\"no\"}").toString()}))
                .hasMessageEndingWith("cgroup-favordynmods must be true or false");
    }

    @Test void registryErrorsUseDockerdsWording() throws Exception {
        String f = file("{}").toString();
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--registry-mirror", "ftp://m.example"}))
                .hasMessage("invalid mirror: unsupported scheme \"ftp\" in \"ftp://m.example\"");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--registry-mirror", "https://m.example/?a=b"}))
                .hasMessage("invalid mirror: query or fragment at end of the URI \"https://m.example/?a=b\"");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--insecure-registry", "tcp://x:1"}))
                .hasMessage("insecure registry tcp://x:1 should not contain '://'");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--insecure-registry", "x:port"}))
                .hasMessage("insecure registry x:port is not valid: invalid port \"port\"");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--insecure-registry", "10.0.0.0/40"}))
                .hasMessage("insecure registry 10.0.0.0/40 is not valid: invalid CIDR address: 10.0.0.0/40");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--max-concurrent-downloads", "-1"}))
                .hasMessage("invalid max concurrent downloads: -1");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", f, "--max-concurrent-uploads", "x"}))
                .hasMessage("invalid argument \"x\" for \"--max-concurrent-uploads\" flag: strconv.ParseInt: parsing \"x\": invalid syntax");
        Path both = file("{\"registry-mirrors\":[\"https://a.example\"]}");
        assertThatThrownBy(() -> DaemonConfig.load(new String[] {"--config-file", both.toString(), "--registry-mirror", "https://b.example"}))
                .hasMessage("unable to configure the Docker daemon with file " + both
                        + ": the following directives are specified both as a flag and in the configuration file: "
                        + "registry-mirror: (from flag: [https://b.example], from file: [https://a.example])");
    }
}
