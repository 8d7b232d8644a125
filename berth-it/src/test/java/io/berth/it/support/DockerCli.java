package io.berth.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a docker-compatible CLI against one daemon: the real {@code docker} on PATH, or Berth's own CLI
 * ({@code io.berth.cli.Main}) as a child JVM. Both get {@code -H unix://…} and a private config dir.
 */
public final class DockerCli {
    private final List<String> prefix;
    private final String host;
    private final Path configDir;

    private DockerCli(List<String> prefix, String host, Path configDir) {
        this.prefix = List.copyOf(prefix);
        this.host = host;
        this.configDir = configDir;
    }

    /** The real docker CLI. */
    public static DockerCli docker(String host, Path configDir) {
        return new DockerCli(List.of("docker", "-H", host), host, configDir);
    }

    /** Berth's CLI, run from this JVM's class path. */
    public static DockerCli berth(String host, Path configDir) {
        return new DockerCli(List.of(Project.javaBin().toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", Project.classPath(), "io.berth.cli.Main", "-H", host), host, configDir);
    }

    /** A call to configure (stdin, timeout) before running it. */
    public Cmd call(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(args));
        return new Cmd(cmd)
                .unsetEnv("DOCKER_HOST").unsetEnv("DOCKER_CONTEXT").unsetEnv("DOCKER_TLS_VERIFY")
                .unsetEnv("DOCKER_CERT_PATH").unsetEnv("DOCKER_API_VERSION")
                .env("DOCKER_CONFIG", configDir.toString())
                .env("BERTH_HOST", host)
                .env("DOCKER_CLI_HINTS", "false");
    }

    /** Runs and returns the result whatever the exit code. */
    public Result run(String... args) {
        return call(args).run();
    }

    /** Runs, asserts exit 0, returns stdout. */
    public String ok(String... args) {
        return call(args).run().ok().out();
    }
}
