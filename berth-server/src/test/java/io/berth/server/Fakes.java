package io.berth.server;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.image.HistoryItem;
import io.berth.api.image.ImageDeleteItem;
import io.berth.api.image.ImageInspect;
import io.berth.api.image.ImagePruneReport;
import io.berth.api.image.ImageSummary;
import io.berth.api.system.DiskUsage;
import io.berth.api.system.SystemInfo;
import io.berth.api.system.VersionResponse;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.ProgressSink;
import io.berth.engine.service.SystemService;
import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small fake backends for router and server tests. */
public final class Fakes {
    private Fakes() {}

    public static final class System implements SystemService {
        public volatile Set<String> lastDfTypes;

        @Override public VersionResponse version() {
            return new VersionResponse(new VersionResponse.Platform("Berth Engine"),
                    List.of(new VersionResponse.Component("Engine", "0.1.0", Map.of("ApiVersion", "1.47", "MinAPIVersion", "1.24"))),
                    "0.1.0", "1.47", "1.24", "fake", "java25", "linux", "amd64", "6.1.0", false, "2025-01-01T00:00:00Z");
        }

        @Override public SystemInfo info() {
            return new SystemInfo("ID", 0, 0, 0, 0, 1, "overlay2", List.of(), Map.of(), true, true, true, true, true, true,
                    true, true, true, false, 10, 10, "2025-01-01T00:00:00Z", "json-file", "cgroupfs", "1", 0, "6.1.0",
                    "Debian", "12", "linux", "x86_64", 2, 1L << 30, "https://index.docker.io/v1/", Map.of(), "/var/lib/berth",
                    "", "", "", "host", List.of(), false, "0.1.0", Map.of("runc", Map.of("path", "runc")), "runc",
                    Map.of("LocalNodeState", "inactive"), true, "", "", Map.of("ID", ""), Map.of("ID", ""), Map.of("ID", ""),
                    List.of(), List.of());
        }

        @Override public DiskUsage diskUsage(Set<String> types) {
            lastDfTypes = types;
            return new DiskUsage(0, List.of(), List.of(), List.of(), List.of());
        }
    }

    /** A container backend that has no containers: every call is NotImplemented. */
    public static io.berth.engine.service.ContainerService noContainers() {
        return (io.berth.engine.service.ContainerService) java.lang.reflect.Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {io.berth.engine.service.ContainerService.class}, (proxy, method, args) -> {
                    throw new io.berth.api.errors.BerthException.NotImplemented("no containers in this test");
                });
    }

    public static final class Images implements ImageService {
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public volatile byte[] lastBody;
        public volatile ImportRequest lastImport;

        @Override public List<ImageSummary> list(boolean all, Filters filters, boolean sharedSize) {
            calls.add("list all=" + all + " filters=" + filters.values() + " shared=" + sharedSize);
            return List.of(new ImageSummary("sha256:abc", "", List.of("busybox:latest"), List.of(), 1700000000L, 1234, -1, 1234L,
                    Map.of(), -1));
        }

        @Override public ImageInspect inspect(String name) {
            calls.add("inspect " + name);
            if (name.equals("missing")) throw new BerthException.NotFound("No such image: " + name);
            return new ImageInspect("sha256:abc", List.of(name), List.of(), "", "", "2025-01-01T00:00:00Z", "c0ffee", null, "", "", null,
                    "amd64", null, "linux", 1, 1L, null, new ImageInspect.RootFs("layers", List.of()), null);
        }

        @Override public List<HistoryItem> history(String name) {
            calls.add("history " + name);
            return List.of(new HistoryItem("sha256:abc", 1, "/bin/sh", List.of(name), 1, ""));
        }

        @Override public void tag(String source, String repo, String tag) { calls.add("tag " + source + " " + repo + " " + tag); }

        @Override public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) {
            calls.add("remove " + name + " force=" + force + " noprune=" + noPrune);
            if (name.equals("busy")) throw new BerthException.Conflict("image is in use");
            return List.of(ImageDeleteItem.untagged(name), ImageDeleteItem.deleted("sha256:abc"));
        }

        @Override public void load(InputStream archive, boolean quiet, ProgressSink progress) {
            try {
                lastBody = archive.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            calls.add("load quiet=" + quiet);
            if (new String(lastBody, StandardCharsets.UTF_8).equals("bad")) {
                throw new BerthException.InvalidArgument("not a tar archive");
            }
            progress.send(JsonMessage.stream("Loaded image: busybox:latest\n"));
            if (new String(lastBody, StandardCharsets.UTF_8).equals("fail-late")) throw new BerthException.InvalidArgument("broken layer");
        }

        @Override public void save(List<String> names, OutputStream out) {
            calls.add("save " + names);
            if (names.contains("missing")) throw new BerthException.NotFound("No such image: missing");
            try {
                out.write(("TAR:" + String.join(",", names)).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public void importImage(ImportRequest request, ProgressSink progress) {
            lastImport = request;
            try {
                lastBody = request.source() == null ? null : request.source().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.send(JsonMessage.status(null, "sha256:def"));
        }

        @Override public ImagePruneReport prune(Filters filters) {
            calls.add("prune " + filters.values());
            return new ImagePruneReport(List.of(), 0);
        }
    }
}
