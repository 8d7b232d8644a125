package io.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Build contexts for the build ITs: directories under a daemon's scratch directory, and the build commands. */
public final class BuildContexts {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Pattern BUILT = Pattern.compile("Successfully built ([0-9a-f]{12})");

    private BuildContexts() {}

    /** A new context directory under {@code scratch} holding {@code Dockerfile} and {@code files} (path → text). */
    public static Path context(Path scratch, String dockerfile, Map<String, String> files) {
        try {
            Path dir = Files.createDirectories(scratch.resolve("ctx-" + SEQ.incrementAndGet()));
            Map<String, String> all = new LinkedHashMap<>(files);
            if (dockerfile != null) all.put("Dockerfile", dockerfile);
            for (var e : all.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A context with only a Dockerfile. */
    public static Path context(Path scratch, String dockerfile) { return context(scratch, dockerfile, Map.of()); }

    /** {@code docker build} through the classic builder ({@code DOCKER_BUILDKIT=0}), the docker CLI's own way to POST /build. */
    public static Result classic(DockerCli docker, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "build";
        System.arraycopy(args, 0, full, 1, args.length);
        return docker.call(full).env("DOCKER_BUILDKIT", "0").timeout(java.time.Duration.ofMinutes(3)).run();
    }

    /** The short ID of {@code Successfully built <id>} in a build's output; AssertionError without one. */
    public static String builtId(Result r) {
        Matcher m = BUILT.matcher(r.out());
        String id = null;
        while (m.find()) id = m.group(1);
        if (id == null) throw new AssertionError("no 'Successfully built' in " + r);
        return id;
    }

    /** How many times {@code needle} occurs in {@code text}. */
    public static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) n++;
        return n;
    }
}
