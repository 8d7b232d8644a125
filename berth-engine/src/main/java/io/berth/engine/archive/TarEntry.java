package io.berth.engine.archive;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tar member. {@code size} is the length of the member's content and is 0 for every type but
 * {@link Type#FILE}. {@code linkName} is the target of a symlink or hard link, else "". Extended
 * attribute values are kept as exact bytes (they are binary, e.g. {@code security.capability}).
 */
public record TarEntry(String name, Type type, int mode, int uid, int gid, String uname, String gname,
                       long size, Instant mtime, String linkName, int devMajor, int devMinor,
                       Map<String, byte[]> xattrs) {

    public enum Type { FILE, DIR, SYMLINK, HARDLINK, CHAR, BLOCK, FIFO }

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        uname = uname == null ? "" : uname;
        gname = gname == null ? "" : gname;
        mtime = mtime == null ? Instant.EPOCH : mtime;
        linkName = linkName == null ? "" : linkName;
        if (size < 0) throw new IllegalArgumentException("negative size for " + name);
        if (type != Type.FILE) size = 0;
        Map<String, byte[]> copy = new LinkedHashMap<>();
        if (xattrs != null) xattrs.forEach((k, v) -> copy.put(k, v.clone()));
        xattrs = Collections.unmodifiableMap(copy);
    }

    public static TarEntry file(String name, long size, int mode, Instant mtime) {
        return new TarEntry(name, Type.FILE, mode, 0, 0, "", "", size, mtime, "", 0, 0, Map.of());
    }

    public static TarEntry dir(String name, int mode, Instant mtime) {
        return new TarEntry(name, Type.DIR, mode, 0, 0, "", "", 0, mtime, "", 0, 0, Map.of());
    }

    public static TarEntry symlink(String name, String target, Instant mtime) {
        return new TarEntry(name, Type.SYMLINK, 0777, 0, 0, "", "", 0, mtime, target, 0, 0, Map.of());
    }

    public static TarEntry hardlink(String name, String target, Instant mtime) {
        return new TarEntry(name, Type.HARDLINK, 0644, 0, 0, "", "", 0, mtime, target, 0, 0, Map.of());
    }

    public static TarEntry device(String name, Type type, int mode, int major, int minor, Instant mtime) {
        if (type != Type.CHAR && type != Type.BLOCK && type != Type.FIFO) {
            throw new IllegalArgumentException("not a device type: " + type);
        }
        return new TarEntry(name, type, mode, 0, 0, "", "", 0, mtime, "", major, minor, Map.of());
    }

    public TarEntry withOwner(int uid, int gid) {
        return new TarEntry(name, type, mode, uid, gid, uname, gname, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withOwnerNames(String uname, String gname) {
        return new TarEntry(name, type, mode, uid, gid, uname, gname, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withXattrs(Map<String, byte[]> xattrs) {
        return new TarEntry(name, type, mode, uid, gid, uname, gname, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withName(String name) {
        return new TarEntry(name, type, mode, uid, gid, uname, gname, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    // byte[] in a record: compare by content.
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TarEntry e)) return false;
        if (!(name.equals(e.name) && type == e.type && mode == e.mode && uid == e.uid && gid == e.gid
                && uname.equals(e.uname) && gname.equals(e.gname) && size == e.size && mtime.equals(e.mtime)
                && linkName.equals(e.linkName) && devMajor == e.devMajor && devMinor == e.devMinor
                && xattrs.size() == e.xattrs.size())) {
            return false;
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            if (!Arrays.equals(x.getValue(), e.xattrs.get(x.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, mode, uid, gid, size, mtime, linkName);
    }

    @Override
    public String toString() {
        return "TarEntry[" + type + " " + name + (linkName.isEmpty() ? "" : " -> " + linkName)
                + " mode=0" + Integer.toOctalString(mode) + " " + uid + ":" + gid + " size=" + size
                + " mtime=" + mtime + (xattrs.isEmpty() ? "" : " xattrs=" + xattrs.keySet()) + "]";
    }
}
