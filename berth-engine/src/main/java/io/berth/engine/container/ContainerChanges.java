package io.berth.engine.container;

import io.berth.api.container.FilesystemChange;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code docker diff} from an overlayfs upper directory, as moby's {@code archive.OverlayChanges}:
 * walking the upper directory in lexical order, a 0:0 character device is a deletion, a path that
 * exists in a lower layer is a modification (a directory whose size, mode and mtime are unchanged
 * is skipped), anything else an addition; the parent directory of an addition or deletion is
 * reported as modified once.
 *
 * <p>The mount points of the files Berth gives every container ({@code /etc/hostname},
 * {@code /etc/hosts}, {@code /etc/resolv.conf}) are never reported: Docker creates them in the
 * container's init layer, below its read-write layer, so its diff does not see them nor the
 * directory holding them unless something else in it changed. Berth creates them in the upper
 * directory, and treats them and their directory as if they lay in such a layer.
 */
final class ContainerChanges {
    /** The mount points of the container's own files, as Docker's init layer holds them. */
    static final Set<String> MOUNT_POINTS = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
    private static final Set<String> MOUNT_POINT_DIRS = Set.of("/etc");

    private final Sys sys;
    private final List<Path> lowers; // top first

    ContainerChanges(Sys sys, List<Path> lowers) {
        this.sys = sys;
        this.lowers = lowers;
    }

    List<FilesystemChange> changes(Path upper) throws IOException {
        List<FilesystemChange> out = new ArrayList<>();
        walk(upper, "", out, new HashSet<>());
        return out;
    }

    private void walk(Path dir, String prefix, List<FilesystemChange> out, Set<String> changedDirs) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        } catch (NoSuchFileException e) {
            return;
        }
        names.sort(null);
        for (String n : names) {
            Path p = dir.resolve(n);
            String path = prefix + "/" + n;
            Sys.LStat st = lstat(p);
            if (st == null || MOUNT_POINTS.contains(path)) continue;
            int kind;
            boolean record = true;
            if (st.isCharDevice() && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
                kind = FilesystemChange.DELETED;
            } else {
                kind = FilesystemChange.ADDED;
                Sys.LStat lower = lowerStat(path);
                boolean initDir = st.isDir() && MOUNT_POINT_DIRS.contains(path);
                if (lower != null || initDir) {
                    kind = FilesystemChange.MODIFIED;
                    if (initDir) {
                        // the init layer's directory: changed only in what the mount points changed (mtime, size)
                        record = lower != null && (lower.mode() != st.mode() || opaque(p));
                    } else if (st.isDir() && lower.isDir() && st.size() == lower.size() && st.mode() == lower.mode()
                            && st.mtimeSec() == lower.mtimeSec() && st.mtimeNsec() == lower.mtimeNsec() && !opaque(p)) {
                        record = false;
                    }
                }
            }
            if (st.isDir() && record) changedDirs.add(path);
            if (kind != FilesystemChange.MODIFIED) {
                String parent = prefix;
                if (!parent.isEmpty() && changedDirs.add(parent)) out.add(new FilesystemChange(parent, FilesystemChange.MODIFIED));
            }
            if (record) out.add(new FilesystemChange(path, kind));
            if (st.isDir()) walk(p, path, out, changedDirs);
        }
    }

    /** The path in the lower layers (top first): a whiteout or an opaque directory above hides the layers below. */
    private Sys.LStat lowerStat(String path) throws IOException {
        String[] comps = path.substring(1).split("/");
        for (Path layer : lowers) {
            Path cur = layer;
            boolean opaqueAbove = false;
            for (int i = 0; i < comps.length - 1 && !opaqueAbove; i++) {
                cur = cur.resolve(comps[i]);
                if (opaque(cur)) opaqueAbove = true;
            }
            Sys.LStat st = lstat(layer.resolve(path.substring(1)));
            if (st != null) {
                if (st.isCharDevice() && st.rdevMajor() == 0 && st.rdevMinor() == 0) return null;
                return st;
            }
            if (opaqueAbove) return null;
        }
        return null;
    }

    private boolean opaque(Path p) {
        try {
            byte[] v = sys.lgetxattr(p, LayerApplier.OPAQUE_XATTR);
            return v != null && v.length == 1 && v[0] == 'y';
        } catch (IOException e) {
            return false;
        }
    }

    private Sys.LStat lstat(Path p) throws IOException {
        try {
            return sys.lstat(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
