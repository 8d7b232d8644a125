package io.berth.engine.runtime.spec;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's (libcontainer's {@code GetExecUser}) resolution of {@code --user} against the rootfs's
 * {@code /etc/passwd} and {@code /etc/group}: {@code name}, {@code uid}, {@code uid:gid},
 * {@code name:group}; supplementary groups from {@code /etc/group} when no group is given, then
 * {@code --group-add}. Files are read without following symlinks out of the rootfs.
 */
public final class UserResolver {
    private static final long MAX_ID = 2147483647L;

    private UserResolver() {}

    private record Passwd(String name, int uid, int gid, String home) {}

    private record Group(String name, int gid, List<String> members) {}

    /** Resolves {@code user} (may be null or empty: root) and {@code groupAdd} (may be null). */
    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
        String spec = user == null ? "" : user.strip();
        String userArg = spec, groupArg = "";
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userArg = spec.substring(0, colon);
            groupArg = spec.substring(colon + 1);
        }
        List<Passwd> passwd = readPasswd(rootfs);
        List<Group> groups = readGroup(rootfs);

        int uid = 0, gid = 0;
        String home = "/";
        String matchedName = null;
        Long numericUser = userArg.isEmpty() ? null : parseId(userArg);
        Passwd found = null;
        if (userArg.isEmpty()) {
            found = passwd.stream().filter(p -> p.uid == 0).findFirst().orElse(null);
        } else {
            for (Passwd p : passwd) {
                if (p.name.equals(userArg) || (numericUser != null && p.uid == numericUser)) {
                    found = p;
                    break;
                }
            }
        }
        if (found != null) {
            uid = found.uid;
            gid = found.gid;
            home = found.home;
            matchedName = found.name;
        } else if (numericUser != null) {
            checkRange(numericUser);
            uid = (int) (long) numericUser;
        } else if (!userArg.isEmpty()) {
            throw new BerthException.InvalidArgument(
                    "unable to find user " + userArg + ": no matching entries in passwd file");
        }

        List<Integer> additional = new ArrayList<>();
        if (!groupArg.isEmpty()) {
            Long numericGroup = parseId(groupArg);
            Group g = null;
            for (Group x : groups) {
                if (x.name.equals(groupArg) || (numericGroup != null && x.gid == numericGroup)) {
                    g = x;
                    break;
                }
            }
            if (g != null) {
                gid = g.gid;
            } else if (numericGroup != null) {
                checkRange(numericGroup);
                gid = (int) (long) numericGroup;
            } else {
                throw new BerthException.InvalidArgument(
                        "unable to find group " + groupArg + ": no matching entries in group file");
            }
        } else if (matchedName != null) {
            for (Group x : groups) {
                if (x.members.contains(matchedName) && !additional.contains(x.gid)) additional.add(x.gid);
            }
        }
        if (groupAdd != null) {
            for (String ga : groupAdd) {
                Group g = null;
                for (Group x : groups) {
                    if (x.name.equals(ga)) {
                        g = x;
                        break;
                    }
                }
                int id;
                if (g != null) {
                    id = g.gid;
                } else {
                    Long n = parseId(ga);
                    if (n == null) throw new BerthException.InvalidArgument(
                            "Unable to find group " + ga + ": no matching entries in group file");
                    checkRange(n);
                    id = (int) (long) n;
                }
                if (!additional.contains(id)) additional.add(id);
            }
        }
        return new ResolvedUser(uid, gid, additional, home);
    }

    private static Long parseId(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void checkRange(long id) {
        if (id < 0 || id > MAX_ID) throw new BerthException.InvalidArgument("uids and gids must be in range 0-" + MAX_ID);
    }

    private static List<String> lines(Path rootfs, String file) {
        try {
            Path p = RootfsPath.resolve(rootfs, file);
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return List.of();
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Passwd> readPasswd(Path rootfs) {
        List<Passwd> out = new ArrayList<>();
        for (String line : lines(rootfs, "/etc/passwd")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(":", -1);
            if (f.length < 4) continue;
            Long uid = parseId(f[2]), gid = parseId(f[3]);
            if (uid == null || gid == null || uid > MAX_ID || gid > MAX_ID) continue;
            out.add(new Passwd(f[0], (int) (long) uid, (int) (long) gid, f.length > 5 ? f[5] : "/"));
        }
        return out;
    }

    private static List<Group> readGroup(Path rootfs) {
        List<Group> out = new ArrayList<>();
        for (String line : lines(rootfs, "/etc/group")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(":", -1);
            if (f.length < 3) continue;
            Long gid = parseId(f[2]);
            if (gid == null || gid > MAX_ID) continue;
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new Group(f[0], (int) (long) gid, members));
        }
        return out;
    }
}
