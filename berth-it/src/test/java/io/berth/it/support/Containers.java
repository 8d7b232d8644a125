package io.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Helpers over the docker CLI and the host for container tests: inspect, polling, host-side leak probes. */
public final class Containers {
    /** Docker's default effective capability set (CAP_CHOWN … CAP_AUDIT_WRITE, CAP_SETFCAP). */
    public static final String DEFAULT_CAP_EFF = "00000000a80425fb";

    private Containers() {}

    /** {@code docker inspect --type container ref} → the single JSON object. */
    public static JsonNode inspect(DockerCli cli, String ref) {
        String out = cli.ok("inspect", "--type", "container", ref);
        JsonNode arr = Images.parse(out);
        if (!arr.isArray() || arr.size() != 1) {
            throw new AssertionError("inspect printed " + out);
        }
        return arr.get(0);
    }

    /** {@code docker inspect -f template ref}, stripped. */
    public static String field(DockerCli cli, String ref, String template) {
        return cli.ok("inspect", "-f", template, ref).strip();
    }

    public static String status(DockerCli cli, String ref) {
        return field(cli, ref, "{{.State.Status}}");
    }

    /** {@code docker run -d args…}; returns the full container ID it printed. */
    public static String runDetached(DockerCli cli, String... args) {
        List<String> a = new ArrayList<>(List.of("run", "-d"));
        a.addAll(List.of(args));
        String id = cli.ok(a.toArray(String[]::new)).strip();
        if (!id.matches("[0-9a-f]{64}")) {
            throw new AssertionError("run -d printed " + id);
        }
        return id;
    }

    /** Polls every 20 ms until {@code condition} holds or {@code timeout} passes. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep(20);
        }
    }

    /** Polls until {@code value} returns {@code expected}; fails with the last value seen. */
    public static <T> void awaitValue(String what, Duration timeout, T expected, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        while (!expected.equals(last = value.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " = " + expected + "; last: " + last);
            }
            sleep(20);
        }
    }

    public static void awaitStatus(DockerCli cli, String ref, String status, Duration timeout) {
        awaitValue("status of " + ref, timeout, status, () -> status(cli, ref));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The container's cgroup directories that exist on the host: {@code /sys/fs/cgroup/<controller>/berth/<id>}. */
    public static List<Path> hostCgroupDirs(String id) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ctrls = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
            for (Path c : ctrls) {
                Path d = c.resolve("berth").resolve(id);
                if (Files.isDirectory(d)) {
                    found.add(d);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /sys/fs/cgroup", e);
        }
        Path v2 = Path.of("/sys/fs/cgroup/berth", id);
        if (Files.isDirectory(v2) && !found.contains(v2)) {
            found.add(v2);
        }
        return found;
    }

    /** A process seen in /proc: its pid and NUL-separated command line joined by spaces. */
    public record Proc(long pid, String cmdline) {}

    /** Live processes whose executable name ends with {@code name} and whose command line contains {@code needle}. */
    public static List<Proc> processes(String name, String needle) {
        List<Proc> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                byte[] raw;
                try {
                    raw = Files.readAllBytes(p.resolve("cmdline"));
                } catch (IOException gone) {
                    continue;
                }
                if (raw.length == 0) {
                    continue;
                }
                String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                String argv0 = cmd.split(" ", 2)[0];
                if (argv0.endsWith(name) && cmd.contains(needle)) {
                    found.add(new Proc(Long.parseLong(p.getFileName().toString()), cmd));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    /** True when a process with this pid exists (and is not a zombie). */
    public static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What a removed container must not leave behind: a mount under the daemon's roots that names it, a conmon
     * whose command line names it, a cgroup directory, its bundle directory under the exec root.
     */
    public static List<String> leftovers(BerthDaemon d, String id) {
        List<String> problems = new ArrayList<>();
        for (String m : Mounts.under(d.execRoot())) {
            if (m.contains(id)) problems.add("mount " + m);
        }
        for (String m : Mounts.under(d.dataRoot())) {
            if (m.contains(id)) problems.add("mount " + m);
        }
        for (Proc p : processes("conmon", id)) {
            problems.add("conmon pid " + p.pid() + ": " + p.cmdline());
        }
        for (Path cg : hostCgroupDirs(id)) {
            problems.add("cgroup " + cg);
        }
        for (Path b : List.of(d.execRoot().resolve("containers").resolve(id), d.dataRoot().resolve("containers").resolve(id))) {
            if (Files.exists(b)) problems.add("directory " + b);
        }
        return problems;
    }

    /** Asserts (polling briefly: removal of cgroups may trail the API answer by a few ms) that nothing of {@code id} is left. */
    public static void assertNoLeftovers(BerthDaemon d, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left;
        while (!(left = leftovers(d, id)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " left behind: " + left);
            }
            sleep(50);
        }
    }
}
