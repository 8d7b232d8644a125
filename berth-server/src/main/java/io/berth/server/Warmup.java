package io.berth.server;

import io.berth.api.ErrorResponse;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.image.ImageSummary;
import io.berth.api.system.VersionResponse;
import io.berth.engine.daemon.Engine;
import java.util.List;
import java.util.Map;

/**
 * Loads and links the JSON codec on a background thread while the engine opens, so that the
 * first API answer does not pay Jackson's start-up (about half a second on these machines); and,
 * once berthd answers, does what the engine's start deferred ({@link Engine#finishStart()}), so that
 * the first container start does not pay for it either.
 */
final class Warmup {
    private Warmup() {}

    static void start() {
        background("berthd-warmup", Warmup::run);
    }

    /** After the listeners are up: what the engine's start deferred, on a background thread. */
    static void afterStart(Engine engine) {
        background("berthd-finish-start", engine::finishStart);
    }

    private static void background(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        try {
            var wire = Json.wire();
            wire.writeValueAsBytes(new VersionResponse(new VersionResponse.Platform("Berth"),
                    List.of(new VersionResponse.Component("Engine", "0", Map.of())), "0", "1.47", "1.24", "", "", "linux",
                    "amd64", "", false, ""));
            wire.writeValueAsBytes(new ErrorResponse("warmup"));
            wire.writeValueAsBytes(JsonMessage.stream("warmup"));
            wire.writeValueAsBytes(List.of(new ImageSummary("sha256:0", "", List.of(), List.of(), 0, 0, 0, 0L, Map.of(), 0)));
            Filters.parse("{\"dangling\":[\"true\"]}");
        } catch (Exception | LinkageError e) {
            // only a speed-up: the real request will report any problem
        }
    }
}
