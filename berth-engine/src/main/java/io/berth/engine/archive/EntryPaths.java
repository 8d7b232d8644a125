package io.berth.engine.archive;

import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a tar entry may go below a root: names resolved component by component, never through a
 * symbolic link, never above the root. Shared by the layer applier and by {@code docker cp}'s extractor.
 *
 * @param root what the root is called in refusals ("the layer root", "the extraction directory")
 */
public record EntryPaths(Sys sys, String root) {

    /** The name's components below the root, without "." and "", with ".." applied; refuses climbing out. */
    public List<String> components(String name, String entryName) {
        if (name.indexOf('\0') >= 0) throw refuse(entryName, "NUL in name");
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (out.isEmpty()) throw refuse(entryName, "path escapes " + root);
                out.removeLast();
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** Walks (creating as 0755 directories where missing) the parents; refuses symlinks and non-directories. */
    public Path ensureParents(Path base, List<String> comps, String entryName) throws IOException {
        Path cur = base;
        for (String c : comps) {
            cur = cur.resolve(c);
            Sys.LStat st = lstatOrNull(cur);
            if (st == null) {
                Files.createDirectory(cur);
                sys.chmod(cur, 0755);
            } else if (st.isSymlink()) {
                throw refuse(entryName, "parent \"" + base.relativize(cur) + "\" is a symbolic link");
            } else if (!st.isDir()) {
                throw refuse(entryName, "parent \"" + base.relativize(cur) + "\" is not a directory");
            }
        }
        return cur;
    }

    /** The existing file a hard-link entry points at, below {@code base} and reached through real directories only. */
    public Path hardlinkTarget(Path base, TarEntry e) throws IOException {
        List<String> comps;
        try {
            comps = components(e.linkName(), e.name());
        } catch (BerthException.InvalidArgument x) {
            throw refuse(e.name(), "hard link target \"" + e.linkName() + "\" escapes " + root);
        }
        if (comps.isEmpty()) throw refuse(e.name(), "hard link to " + root);
        Path cur = base;
        for (int i = 0; i < comps.size(); i++) {
            cur = cur.resolve(comps.get(i));
            Sys.LStat st = lstatOrNull(cur);
            if (st == null) throw refuse(e.name(), "hard link target \"" + e.linkName() + "\" does not exist");
            boolean last = i == comps.size() - 1;
            if (!last && !st.isDir()) {
                throw refuse(e.name(), "hard link target \"" + e.linkName() + "\" passes through a non-directory");
            }
            if (last && st.isDir()) throw refuse(e.name(), "hard link target \"" + e.linkName() + "\" is a directory");
        }
        return cur;
    }

    public Sys.LStat lstatOrNull(Path p) throws IOException {
        try {
            return sys.lstat(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Removes whatever is at p (recursively for a directory, never following symlinks). */
    public void removeAll(Path p) throws IOException {
        Sys.LStat st = lstatOrNull(p);
        if (st == null) return;
        if (!st.isDir()) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The refusal of an entry, with control characters of its name made printable. */
    public static BerthException.InvalidArgument refuse(String name, String why) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) b.append(c < 0x20 ? '?' : c);
        return new BerthException.InvalidArgument("invalid tar entry \"" + b + "\": " + why);
    }
}
