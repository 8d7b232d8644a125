package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 2: how berthd starts and stops: data-root lock, SIGTERM cleanup, pidfile, daemon.json. */
class DaemonLifecycleIT {

    @Test
    void secondDaemonOnTheSameDataRootExitsWithAClearMessage() throws Exception {
        try (BerthDaemon first = BerthDaemon.builder().build()) {
            first.start();
            try (BerthDaemon second = BerthDaemon.builder().dataRoot(first.dataRoot()).build()) {
                second.launch();
                int code = second.awaitExit(Duration.ofSeconds(15));
                assertThat(code).as("exit code of the second daemon").isNotZero();
                String log = second.logText();
                assertThat(log).as("second daemon's message").containsIgnoringCase("already")
                        .contains(first.dataRoot().toString());
                assertThat(log).as("no stack trace for a user error").doesNotContain("\tat io.berth");
                assertThat(Files.exists(second.socket())).isFalse();
            }
            // the first is unharmed: it still answers and still owns its socket
            assertThat(first.http().ping()).isTrue();
            assertThat(first.docker().run("info").ok().out()).contains("Docker Root Dir: " + first.dataRoot());
        }
    }

    @Test
    void sigtermRemovesSocketAndPidFile() throws Exception {
        BerthDaemon d = BerthDaemon.builder().build();
        try {
            d.start();
            assertThat(d.socket()).exists();
            assertThat(d.pidFile()).exists();
            assertThat(Files.readString(d.pidFile()).strip()).isEqualTo(Long.toString(d.process().pid()));
            d.terminate();
            assertThat(d.process().isAlive()).isFalse();
            assertThat(Files.exists(d.socket())).as("socket removed on SIGTERM").isFalse();
            assertThat(Files.exists(d.pidFile())).as("pidfile removed on SIGTERM").isFalse();
            assertThat(d.logText()).as("no stack trace on a clean shutdown").doesNotContain("\tat ");
        } finally {
            d.close();
        }
    }

    @Test
    void configFileWithUnknownKeyFails() throws Exception {
        Path cfg = Files.createTempFile("berth-it-daemon-", ".json");
        try {
            Files.writeString(cfg, "{\"no-such-option\": true}\n");
            try (BerthDaemon d = BerthDaemon.builder().arg("--config-file", cfg.toString()).build()) {
                d.launch();
                int code = d.awaitExit(Duration.ofSeconds(15));
                assertThat(code).isNotZero();
                assertThat(d.logText()).contains("no-such-option");
                assertThat(d.logText()).doesNotContain("\tat io.berth");
            }
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void configFileWithMalformedJsonFails() throws Exception {
        Path cfg = Files.createTempFile("berth-it-daemon-", ".json");
        try {
            Files.writeString(cfg, "{\"labels\": [\n");
            try (BerthDaemon d = BerthDaemon.builder().arg("--config-file", cfg.toString()).build()) {
                d.launch();
                assertThat(d.awaitExit(Duration.ofSeconds(15))).isNotZero();
                assertThat(d.logText()).contains(cfg.toString());
            }
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void configFileLabelsShowInInfo() throws Exception {
        Path cfg = Files.createTempFile("berth-it-daemon-", ".json");
        try {
            Files.writeString(cfg, "{\"labels\": [\"berth.it=yes\"]}\n");
            try (BerthDaemon d = BerthDaemon.builder().arg("--config-file", cfg.toString()).build()) {
                d.start();
                assertThat(d.docker().ok("info", "--format", "{{json .Labels}}")).contains("berth.it=yes");
            }
        } finally {
            Files.deleteIfExists(cfg);
        }
    }
}
