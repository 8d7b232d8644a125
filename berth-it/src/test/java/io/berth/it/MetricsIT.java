package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dockerd's metrics listener: {@code --metrics-addr} serves Prometheus' text format with moby's names, and Berth's
 * phase histogram, which bench/run-latency.sh reads to break a run's time down.
 */
class MetricsIT {
    private static final int PORT = freePort();
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--metrics-addr", "127.0.0.1:" + PORT).build();

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aRunShowsInMobysActionsAndBerthsPhases() throws Exception {
        Images.importBusybox(daemon.docker(), "busybox:latest");
        HttpResponse<String> before = get("/metrics");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(before.body())
                .contains("engine_daemon_container_actions_seconds_count{action=\"commit\"} 0\n")
                .contains("engine_daemon_container_states_containers{state=\"running\"} 0.0\n")
                .containsPattern("engine_daemon_engine_info\\{[^}]*architecture=\"x86_64\"")
                .containsPattern("engine_daemon_engine_info\\{[^}]*graphdriver=\"overlay2\"[^}]*os_type=\"linux\"[^}]*} 1\\.0\n")
                .contains("engine_daemon_engine_cpus_cpus " + Runtime.getRuntime().availableProcessors() + ".0\n");

        daemon.docker().ok("run", "--rm", "--network", "none", "busybox", "true");
        daemon.docker().ok("run", "-d", "--name", "metrics-up", "--network", "none", "busybox", "sleep", "60");
        String after = get("/metrics").body();
        assertThat(after)
                .contains("engine_daemon_container_actions_seconds_count{action=\"create\"} 2\n")
                .contains("engine_daemon_container_actions_seconds_count{action=\"start\"} 2\n")
                .contains("engine_daemon_container_states_containers{state=\"running\"} 1.0\n");
        for (String phase : new String[] {"create", "mount", "network", "spec", "runtime_create", "runtime_start"}) {
            assertThat(after).as(phase).contains("berth_container_phase_seconds_count{phase=\"" + phase + "\"} 2\n");
        }
        // the --rm container's exit and removal were timed before its run returned
        for (String phase : new String[] {"exit_seen", "exit_cleanup", "remove"}) {
            assertThat(after).as(phase).contains("berth_container_phase_seconds_count{phase=\"" + phase + "\"} 1\n");
        }
        assertThat(after).containsPattern("engine_daemon_events_total [1-9][0-9]*\\.0\n");
        assertThat(get("/v1.47/containers/json").statusCode()).as("the metrics listener serves nothing else").isEqualTo(404);
    }
}
