package io.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training workload of the CLI's JDK AOT caches ({@code -XX:AOTCacheOutput}, made by {@code bin/lib/cli-aot} at
 * setup), run in one JVM against a {@link CannedDaemon}, so the classes the commands load are parsed, verified and
 * linked once at build time instead of at every start. With the argument {@code fast} it runs only the command lines
 * {@link FastPath} takes ({@code version}, {@code ps}): their cache holds just what they need, since a JVM loads every
 * class of its cache at start; without it, also {@code images}, {@code info} and help, for the cache of every other
 * command. Needs no berthd, no network and no root; prints nothing.
 */
public final class AotTraining {
    /** The command lines {@link FastPath} takes, each run after {@code -H <canned daemon>}. */
    static final List<List<String>> FAST_LINES = List.of(
            List.of("version"),
            List.of("version", "--format", "{{.Server.Version}}"),
            List.of("ps"),
            List.of("ps", "-a", "--no-trunc"),
            List.of("ps", "-q"),
            List.of("ps", "--format", "{{.Names}}\t{{.Status}}"));

    /** The command lines run for the other commands' cache: the fast ones and these. */
    static final List<List<String>> OTHER_LINES = List.of(
            List.of("container", "ls", "--format", "{{.Names}}\t{{.Status}}"),
            List.of("images"),
            List.of("info", "--format", "{{.ServerVersion}}"),
            List.of("ps", "--help"),
            List.of("run", "--help"));

    static final String VERSION = """
            {"Platform":{"Name":"Berth dev"},"Components":[{"Name":"Engine","Version":"dev","Details":{"ApiVersion":"1.47",
             "Arch":"amd64","BuildTime":"","Experimental":"false","GitCommit":"unknown","GoVersion":"java25",
             "KernelVersion":"6.1.0","MinAPIVersion":"1.24","Os":"linux"}}],"Version":"dev","ApiVersion":"1.47",
             "MinAPIVersion":"1.24","GitCommit":"unknown","GoVersion":"java25","Os":"linux","Arch":"amd64",
             "KernelVersion":"6.1.0","Experimental":false,"BuildTime":""}""";

    static final String CONTAINERS = """
            [{"Id":"4f2c0e7d9a1b3c5d7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901","Names":["/web"],"Image":"busybox",
              "ImageID":"sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8","Command":"sh -c 'sleep 3600'",
              "Created":1700000000,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
              "Labels":{"a":"b"},"State":"running","Status":"Up 2 hours","HostConfig":{"NetworkMode":"bridge"},
              "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"}}},"Mounts":[]},
             {"Id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Names":["/old"],"Image":"busybox",
              "ImageID":"sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8","Command":"true",
              "Created":1690000000,"Ports":[],"Labels":{},"State":"exited","Status":"Exited (0) 3 weeks ago",
              "HostConfig":{"NetworkMode":"none"},"NetworkSettings":{"Networks":{}},"Mounts":[]}]""";

    static final String IMAGES = """
            [{"Id":"sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8","ParentId":"",
              "RepoTags":["busybox:latest"],"RepoDigests":[],"Created":1700000000,"Size":4263129,"SharedSize":-1,
              "VirtualSize":4263129,"Labels":{},"Containers":-1}]""";

    static final String INFO = """
            {"ID":"berth","Containers":2,"ContainersRunning":1,"ContainersPaused":0,"ContainersStopped":1,"Images":1,
             "Driver":"overlay2","ServerVersion":"dev","OperatingSystem":"Debian","NCPU":2,"MemTotal":25000000000}""";

    private AotTraining() {}

    /** Runs the training: {@code fast} for the fast commands' cache, nothing for the other commands'. */
    public static void main(String[] args) throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        run(lines(args.length > 0 && args[0].equals("fast")), sink, sink);
    }

    /** The command lines of one training: the fast ones, or all. */
    static List<List<String>> lines(boolean fast) {
        List<List<String>> all = new ArrayList<>(FAST_LINES);
        if (!fast) all.addAll(OTHER_LINES);
        return all;
    }

    /** Runs {@code lines}; returns their exit codes in order. */
    static List<Integer> run(List<List<String>> lines, PrintStream out, PrintStream err) throws IOException {
        List<Integer> codes = new ArrayList<>();
        try (CannedDaemon d = new CannedDaemon(Map.of("/version", VERSION, "/containers/json", CONTAINERS,
                "/images/json", IMAGES, "/info", INFO))) {
            for (List<String> line : lines) {
                List<String> a = new ArrayList<>(List.of("-H", d.host()));
                a.addAll(line);
                codes.add(Main.run(a.toArray(String[]::new), InputStream.nullInputStream(), out, err, Map.of(), false, false));
            }
        }
        return codes;
    }
}
