package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds helper programs (conmon, runc, tini) on PATH and in the sbin directories. */
public final class Binaries {
    private static final List<String> EXTRA = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
            "/usr/libexec/podman");

    private Binaries() {}

    /** The program's path: {@code name} itself when it holds a slash, else the first executable on PATH or in the sbin directories. */
    public static Optional<Path> find(String name) {
        if (name.contains("/")) return Files.isExecutable(Path.of(name)) ? Optional.of(Path.of(name)) : Optional.empty();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + String.join(File.pathSeparator, EXTRA)).split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** As {@link #find}; {@link BerthException.Unavailable} when it is not installed. */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new BerthException.Unavailable(name + " is not installed (run bin/setup to install Berth's packages)", null));
    }
}
