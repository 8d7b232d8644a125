package io.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Small helpers over the docker CLI for image tests. */
public final class Images {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FIXTURE_REF = "berth-fixture:layers";
    public static final String FIXTURE_ID = "sha256:9b579ac2ff0f3ec292da376300b5f641901e26da5d0df77920a7c7bc96200a0d";

    private Images() {}

    /** {@code docker import [--change c]... rootfs ref}; returns the printed image ID. */
    public static String importBusybox(DockerCli cli, String ref, String... changes) {
        List<String> args = new ArrayList<>(List.of("import"));
        for (String c : changes) {
            args.add("--change");
            args.add(c);
        }
        args.add(Project.busyboxRootfs().toString());
        args.add(ref);
        String out = cli.ok(args.toArray(String[]::new)).strip();
        if (!out.matches("sha256:[0-9a-f]{64}")) {
            throw new AssertionError("import printed " + out);
        }
        return out;
    }

    /** {@code docker image inspect ref} → the single JSON object. */
    public static JsonNode inspect(DockerCli cli, String ref) {
        String out = cli.ok("image", "inspect", ref);
        try {
            JsonNode arr = JSON.readTree(out);
            if (!arr.isArray() || arr.size() != 1) {
                throw new AssertionError("inspect printed " + out);
            }
            return arr.get(0);
        } catch (IOException e) {
            throw new AssertionError("inspect printed non-JSON: " + out, e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** IDs of all images ({@code images -a -q --no-trunc}), deduplicated. */
    public static List<String> allIds(DockerCli cli) {
        return cli.run("images", "-a", "-q", "--no-trunc").ok().lines().stream().distinct().toList();
    }

    /** Removes every image ({@code rmi -f} of {@link #allIds}): a test class's clean slate. */
    public static void removeAll(DockerCli cli) {
        List<String> ids = allIds(cli);
        if (ids.isEmpty()) return;
        List<String> args = new java.util.ArrayList<>(List.of("rmi", "-f"));
        args.addAll(ids);
        cli.run(args.toArray(String[]::new));
    }

    /** Total bytes of regular files under a directory (0 when it does not exist). */
    public static long bytesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regular files under a directory, as paths relative to it. */
    public static List<String> filesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
