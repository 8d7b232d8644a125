package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;
import io.berth.engine.archive.ScopedPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Who owns what COPY and ADD write: {@code 0:0} unless {@code --chown} names another user, resolved as moby's
 * {@code parseChownFlag}: {@code user[:group]} (the group defaults to the user's spec), each part numeric or a name
 * looked up in the container's {@code /etc/passwd} and {@code /etc/group} (followed inside its root file system).
 */
public record Ownership(int uid, int gid) {
    public static final Ownership ROOT = new Ownership(0, 0);

    /** The owner for {@code chown} (null or empty: {@link #ROOT}) in the root file system at {@code rootfs}. */
    public static Ownership resolve(String chown, Path rootfs) throws IOException {
        if (chown == null || chown.isEmpty()) return ROOT;
        String[] parts = chown.split(":", -1);
        if (parts.length > 2) throw failure("invalid chown string format: " + chown);
        String user = parts[0];
        String group = parts.length == 1 ? parts[0] : parts[1];
        int uid = lookup(user, rootfs, "/etc/passwd", 2, "can't find uid for user ", "no such user: ");
        int gid = lookup(group, rootfs, "/etc/group", 2, "can't find gid for group ", "no such group: ");
        return new Ownership(uid, gid);
    }

    private static int lookup(String spec, Path rootfs, String file, int idField, String prefix, String none)
            throws IOException {
        try {
            return Integer.parseInt(spec);
        } catch (NumberFormatException notNumeric) {
            // a name: look it up
        }
        Path p = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, file));
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw failure(prefix + spec + ": open " + file + ": no such file or directory");
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length > idField && f[0].equals(spec)) {
                try {
                    return Integer.parseInt(f[idField].strip());
                } catch (NumberFormatException e) {
                    throw failure(prefix + spec + ": invalid id in " + file + ": " + f[idField]);
                }
            }
        }
        throw failure(prefix + spec + ": " + none + spec);
    }

    private static BerthException.InvalidArgument failure(String why) {
        return new BerthException.InvalidArgument("unable to convert uid/gid chown string to host mapping: " + why);
    }
}
