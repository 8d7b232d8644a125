package io.berth.engine.testing;

import io.berth.engine.daemon.Engine;
import io.berth.engine.daemon.EngineOptions;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.ProgressSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real engine for the tests that need one (root, runc, {@code bin/mkrootfs}; see {@link Requirements}): the
 * busybox-static root file system the project's script makes, and an engine on private roots with it imported as
 * {@code busybox:latest}.
 */
public final class RealEngine {
    private RealEngine() {}

    /** {@code dir/rootfs.tar}, made by {@code bin/mkrootfs}; the test is skipped (fails under CI) without root or runc. */
    public static Path busyboxRootfs(Path dir) throws IOException, InterruptedException {
        Requirements.require("root".equals(System.getProperty("user.name")), "needs root");
        Path mkrootfs = Path.of("..", "bin", "mkrootfs").toAbsolutePath().normalize();
        Requirements.require(Files.isExecutable(mkrootfs) && Files.isExecutable(Path.of("/usr/sbin/runc")), "needs runc and bin/mkrootfs");
        Path tar = dir.resolve("rootfs.tar");
        Process p = new ProcessBuilder(mkrootfs.toString(), tar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException("bin/mkrootfs exited with " + p.exitValue());
        return tar;
    }

    /** An engine on {@code dir/data} and {@code dir/exec}. */
    public static Engine open(Path dir) {
        return Engine.open(new EngineOptions(dir.resolve("data"), dir.resolve("exec"), List.of(), false));
    }

    /** Imports {@code rootfs} into {@code engine} as {@code busybox:latest}. */
    public static void importBusybox(Engine engine, Path rootfs) throws IOException {
        try (InputStream in = Files.newInputStream(rootfs)) {
            engine.images().importImage(new ImageService.ImportRequest(in, "-", "busybox", "latest", "", List.of(), null),
                    ProgressSink.DISCARD);
        }
    }

    /** A real engine on {@code dir} with {@code busybox:latest}. */
    public static Engine withBusybox(Path dir) throws IOException, InterruptedException {
        Path rootfs = busyboxRootfs(dir);
        Engine engine = open(dir);
        importBusybox(engine, rootfs);
        return engine;
    }
}
