package io.berth.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * docker-compose 1.29 (Debian's, installed by bin/setup) against a test's berthd: the project's name, the daemon's
 * host and docker config in its environment, plain output ({@code --no-ansi}).
 */
public final class Compose {
    private Compose() {}

    /** Whether docker-compose runs here. */
    public static boolean installed() {
        return Cmd.of("docker-compose", "version").run().exit() == 0;
    }

    /**
     * Runs {@code docker-compose --no-ansi options… args…} for {@code project} on {@code daemon}, waiting at most
     * {@code timeout}; {@code options} are the global ones ({@code -f}, {@code --project-directory}).
     */
    public static Result run(BerthDaemon daemon, String project, Duration timeout, List<String> options, String... args) {
        List<String> full = new ArrayList<>(List.of("docker-compose", "--no-ansi"));
        full.addAll(options);
        full.addAll(List.of(args));
        return Cmd.of(full.toArray(String[]::new)).env("DOCKER_HOST", daemon.host()).env("COMPOSE_PROJECT_NAME", project)
                .env("DOCKER_CONFIG", daemon.dockerConfig().toString()).timeout(timeout).run();
    }
}
