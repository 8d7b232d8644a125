package io.berth.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared interop fixtures ({@code ../shared/fixtures/<name>} beside the project or one of its parents). */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolveSibling("shared").resolve("fixtures").resolve(name);
            if (Files.exists(f)) return f;
        }
        throw new IllegalStateException("fixture " + name + " not found beside any parent of the working directory");
    }
}
