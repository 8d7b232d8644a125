package io.berth.engine.container;

import io.berth.engine.archive.ScopedPath;
import io.berth.api.Filters;
import io.berth.api.container.ContainerPathStat;
import io.berth.api.container.ContainerPruneReport;
import io.berth.api.container.FilesystemChange;
import io.berth.engine.archive.LayerDiff;
import io.berth.engine.archive.TarWriter;
import io.berth.engine.archive.TreeTar;
import io.berth.engine.service.ContainerFsService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageCommitter;
import io.berth.engine.image.ImageStore;
import io.berth.api.TimeFilters;
import io.berth.oci.Digest;
import io.berth.engine.runtime.spec.ResolvedUser;
import io.berth.engine.runtime.spec.UserResolver;
import io.berth.engine.snapshot.Snapshot;
import io.berth.engine.sys.Sys;
import io.berth.engine.volume.ContainerVolumes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's file system seen from the daemon: docker cp (stat, archive, extract), export,
 * diff, commit and container prune. A running container's root is its mounted overlay; a stopped
 * or created one's overlay is mounted for the operation only and unmounted after. The container's
 * lock is held throughout, so it cannot start, stop or go away meanwhile (as dockerd does).
 * Container paths are resolved inside the root, never following a symlink out of it, and through
 * the container's volumes and bind mounts as its processes see them ({@link ContainerPaths}), in
 * every state as Docker mounts them for cp; the files berthd binds into the container (hostname,
 * hosts, resolv.conf) are read from their host copies. Export writes the root file system alone,
 * as Docker does.
 */
public final class LocalContainerFs implements ContainerFsService {
    private static final Logger LOG = LoggerFactory.getLogger(LocalContainerFs.class);
    private static final Set<String> PRUNE_FILTERS = Set.of("until", "label", "label!");

    private final ContainerStore store;
    private final ContainerLifecycle lifecycle;
    private final ContainerRootfs rootfs;
    private final ContainerFiles files;
    private final ImageStore images;
    private final ImageCommitter committer;
    private final EventBus events;
    private final Sys sys;
    private final ContainerVolumes volumes;

    public LocalContainerFs(ContainerStore store, ContainerLifecycle lifecycle, ContainerRootfs rootfs, ContainerFiles files,
                            ImageStore images, ImageCommitter committer, EventBus events, Sys sys, ContainerVolumes volumes) {
        this.volumes = volumes;
        this.store = store;
        this.lifecycle = lifecycle;
        this.rootfs = rootfs;
        this.files = files;
        this.images = images;
        this.committer = committer;
        this.events = events;
        this.sys = sys;
    }

    @FunctionalInterface
    private interface RootBody<T> {
        T run(Container c, Path root) throws IOException;
    }

    /** Runs {@code body} with the container's root file system mounted, under the container's lock. */
    private <T> T withRoot(String ref, RootBody<T> body) {
        String id = store.require(ref).id();
        return lifecycle.locked(id, () -> {
            Container c = store.require(id);
            try {
                if (c.state().status().isRunning()) return body.run(c, rootfs.target(id));
                Path root = rootfs.mount(id, c.layerChainIds());
                try {
                    return body.run(c, root);
                } finally {
                    rootfs.release(id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A container path resolved to the host: where it is, and the name Docker gives it. */
    record Resolved(Path host, List<String> components, String absPath, String name) {}

    private ContainerPaths paths(Container c, Path root) {
        return ContainerPaths.of(root, volumes.describe(c.id()), Map.of("/etc/hostname", files.hostname(c.id()),
                "/etc/hosts", files.hosts(c.id()), "/etc/resolv.conf", files.resolvConf(c.id())));
    }

    /**
     * moby's {@code container.ResolvePath}: the parent is resolved in scope, the last component is
     * not followed unless the path ends in "/" or "/.".
     */
    private static Resolved resolve(ContainerPaths paths, String path) throws IOException {
        String abs = ScopedPath.absolute(path);
        boolean dotOrSlash = path.endsWith("/.") || path.equals(".") || path.endsWith("/");
        List<String> comps = ScopedPath.clean(abs);
        List<String> resolved;
        if (comps.isEmpty() || dotOrSlash) {
            resolved = paths.follow(abs);
        } else {
            resolved = new ArrayList<>(paths.follow("/" + String.join("/", comps.subList(0, comps.size() - 1))));
            resolved.add(comps.getLast());
        }
        String name = path.endsWith("/.") || path.equals(".") ? "." : comps.isEmpty() ? "/" : comps.getLast();
        return new Resolved(paths.host(resolved), resolved, abs, name);
    }

    private ContainerPathStat statResolved(ContainerPaths paths, Resolved r, String ref, String path) throws IOException {
        Sys.LStat st;
        try {
            st = sys.lstat(r.host());
        } catch (NoSuchFileException e) {
            throw notFound(path, ref);
        }
        String linkTarget = "";
        if (st.isSymlink()) linkTarget = "/" + String.join("/", paths.follow(r.absPath()));
        return new ContainerPathStat(r.name(), st.size(), goMode(st), st.mtime().toString(), linkTarget);
    }

    private static BerthException.NotFound notFound(String path, String ref) {
        return new BerthException.NotFound("Could not find the file " + path + " in container " + ref);
    }

    /** Go's {@code os.FileMode} of an lstat mode. */
    static long goMode(Sys.LStat st) {
        long m = st.mode() & 0777;
        switch (st.type()) {
            case Sys.S_IFDIR -> m |= 1L << 31;
            case Sys.S_IFLNK -> m |= 1L << 27;
            case Sys.S_IFBLK -> m |= 1L << 26;
            case Sys.S_IFCHR -> m |= (1L << 26) | (1L << 21);
            case Sys.S_IFIFO -> m |= 1L << 25;
            case Sys.S_IFSOCK -> m |= 1L << 24;
            default -> { }
        }
        if ((st.mode() & 04000) != 0) m |= 1L << 23;
        if ((st.mode() & 02000) != 0) m |= 1L << 22;
        if ((st.mode() & 01000) != 0) m |= 1L << 20;
        return m;
    }

    private static void requirePath(String path) {
        if (path == null || path.isEmpty()) throw new BerthException.InvalidArgument("path cannot be empty");
    }

    @Override public ContainerPathStat stat(String ref, String path) {
        requirePath(path);
        return withRoot(ref, (c, root) -> {
            ContainerPaths paths = paths(c, root);
            return statResolved(paths, resolve(paths, path), ref, path);
        });
    }

    @Override public void archive(String ref, String path, Function<ContainerPathStat, OutputStream> open) {
        requirePath(path);
        String id = withRoot(ref, (c, root) -> {
            ContainerPaths paths = paths(c, root);
            Resolved r = resolve(paths, path);
            ContainerPathStat stat = statResolved(paths, r, ref, path);
            OutputStream out = open.apply(stat);
            TarWriter tar = new TarWriter(out);
            new TreeTar(sys, tar, TreeTar.Whiteouts.KEEP).write(r.host(), r.name().equals(".") ? "" : r.name());
            tar.finish();
            return c.id();
        });
        events.publish("container", "archive-path", id, LocalContainerService.attributes(store.require(id)));
    }

    @Override public void extract(String ref, String path, boolean noOverwriteDirNonDir, boolean copyUidGid, InputStream tar) {
        requirePath(path);
        String id = withRoot(ref, (c, root) -> {
            ContainerPaths paths = paths(c, root);
            List<String> comps = paths.follow(path);
            Path host = paths.host(comps);
            Sys.LStat st;
            try {
                st = sys.lstat(host);
            } catch (NoSuchFileException e) {
                throw notFound(path, ref);
            }
            if (!st.isDir()) throw new BerthException.InvalidArgument("extraction point is not a directory");
            ContainerPaths.Mount mount = paths.mountOf(comps);
            if (mount != null && !mount.rw()) throw new BerthException.InvalidArgument("mounted volume is marked read-only");
            if (mount == null && Boolean.TRUE.equals(c.hostConfig().readonlyRootfs())) {
                throw new BerthException.Forbidden("container rootfs is marked read-only");
            }
            int[] owner = null;
            String user = c.config().user();
            if (copyUidGid && user != null && !user.isEmpty()) {
                ResolvedUser u = UserResolver.resolve(root, user, List.of());
                owner = new int[] {u.uid(), u.gid()};
            }
            new ContainerExtractor(sys).extract(tar, host, new ContainerExtractor.Options(noOverwriteDirNonDir, owner));
            return c.id();
        });
        events.publish("container", "extract-to-dir", id, LocalContainerService.attributes(store.require(id)));
    }

    @Override public void export(String ref, Supplier<OutputStream> open) {
        String id = withRoot(ref, (c, root) -> {
            TarWriter tar = new TarWriter(open.get());
            new TreeTar(sys, tar, TreeTar.Whiteouts.KEEP).write(root, "");
            tar.finish();
            return c.id();
        });
        events.publish("container", "export", id, LocalContainerService.attributes(store.require(id)));
    }

    @Override public List<FilesystemChange> changes(String ref) {
        Container c = store.require(ref);
        List<Path> lowers = new ArrayList<>();
        for (int i = c.layerChainIds().size() - 1; i >= 0; i--) {
            images.snapshots().get(Digest.parse(c.layerChainIds().get(i))).map(Snapshot::fs).ifPresent(lowers::add);
        }
        try {
            return new ContainerChanges(sys, lowers).changes(rootfs.upper(c.id()));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot compute the changes of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    @Override public String commit(CommitRequest req) {
        if (req.container() == null || req.container().isEmpty()) throw new BerthException.InvalidArgument("No container specified");
        ImageCommitter.reference(req.repo(), req.tag()); // a bad name fails before any work
        String id = store.require(req.container()).id();
        Image img = lifecycle.locked(id, () -> {
            Container c = store.require(id);
            ContainerStatus s = c.state().status();
            if (s == ContainerStatus.REMOVING || s == ContainerStatus.DEAD) {
                throw new BerthException.Conflict("You cannot commit container " + c.name() + " which is being removed");
            }
            boolean pause = req.pause() && lifecycle.pauseForCommit(id);
            try {
                List<String> cmd = c.config().cmd() == null || c.config().cmd().isEmpty()
                        ? concat(c.path(), c.args()) : c.config().cmd();
                var commit = new ImageCommitter.Commit(c.image(), c.id(), c.config(), req.config(), req.changes(), req.comment(),
                        req.author(), String.join(" ", cmd), req.repo(), req.tag());
                Path upper = rootfs.upper(id);
                return committer.commit(commit, out -> LayerDiff.write(upper, new TarWriter(out), sys));
            } catch (IOException e) {
                throw new BerthException.SystemError("cannot commit container " + id + ": " + e.getMessage(), e);
            } finally {
                if (pause) lifecycle.unpause(id);
            }
        });
        Container c = store.require(id);
        Map<String, String> attrs = LocalContainerService.attributes(c);
        attrs.put("comment", req.comment() == null ? "" : req.comment());
        attrs.put("imageID", img.id().toString());
        attrs.put("imageRef", ImageCommitter.reference(req.repo(), req.tag()) == null ? ""
                : ImageCommitter.reference(req.repo(), req.tag()).familiarString());
        events.publish("container", "commit", id, attrs);
        return img.id().toString();
    }

    private static List<String> concat(String path, List<String> args) {
        List<String> out = new ArrayList<>();
        out.add(path);
        out.addAll(args);
        return out;
    }

    @Override public ContainerPruneReport prune(Filters filters) {
        filters.requireOnly(PRUNE_FILTERS);
        Instant until = filters.has("until") ? TimeFilters.parse(filters.get("until").getFirst()) : null;
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : store.all()) {
            ContainerStatus s = c.state().status();
            if (c.buildStep() || s.isRunning() || s == ContainerStatus.RESTARTING) continue;
            if (until != null && !c.created().isBefore(until)) continue;
            Map<String, String> labels = c.config().labels() == null ? Map.of() : c.config().labels();
            if (!filters.get("label").stream().allMatch(l -> labelMatches(labels, l))) continue;
            if (filters.get("label!").stream().anyMatch(l -> labelMatches(labels, l))) continue;
            long size = ContainerViews.du(rootfs.upper(c.id()));
            try {
                lifecycle.remove(c.id(), false);
            } catch (RuntimeException e) {
                LOG.warn("prune: cannot remove container {}: {}", c.id(), e.getMessage());
                continue;
            }
            deleted.add(c.id());
            reclaimed += size;
        }
        Map<String, String> attrs = new HashMap<>();
        attrs.put("reclaimed", Long.toString(reclaimed));
        events.publish("container", "prune", "", attrs);
        return new ContainerPruneReport(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    private static boolean labelMatches(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
