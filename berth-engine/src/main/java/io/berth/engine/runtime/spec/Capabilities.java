package io.berth.engine.runtime.spec;

import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Docker's capability rules ({@code oci/caps}): the default set and {@code --cap-add}/{@code --cap-drop}. */
public final class Capabilities {
    /** Every capability Linux defines, by number (index = capability number). */
    public static final List<String> ALL_KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** Docker's default set, in Docker's order. */
    public static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private Capabilities() {}

    /** The capability names set in a {@code /proc/<pid>/status} hex mask ({@code CapBnd}). */
    public static List<String> fromMask(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ALL_KNOWN.size(); i++) if ((mask & (1L << i)) != 0) out.add(ALL_KNOWN.get(i));
        return out;
    }

    /** The hex mask of a capability list, as the kernel shows it. */
    public static long toMask(List<String> caps) {
        long m = 0;
        for (String c : caps) m |= 1L << ALL_KNOWN.indexOf(c);
        return m;
    }

    /** {@code sys_admin} / {@code CAP_SYS_ADMIN} / {@code all} to Docker's canonical spelling. */
    static List<String> normalize(List<String> in) {
        List<String> out = new ArrayList<>();
        if (in == null) return out;
        for (String c : in) {
            String u = c.strip().toUpperCase(Locale.ROOT);
            if (u.isEmpty()) continue;
            if (!u.equals("ALL") && !u.startsWith("CAP_")) u = "CAP_" + u;
            if (!u.equals("ALL") && !ALL_KNOWN.contains(u)) {
                throw new BerthException.InvalidArgument("unknown capability: \"" + u + "\"");
            }
            if (!out.contains(u)) out.add(u);
        }
        return out;
    }

    /**
     * The container's capabilities. {@code all} is what "every capability" means on this host
     * (its bounding set); privileged containers get exactly that.
     */
    public static List<String> tweak(List<String> capAdd, List<String> capDrop, boolean privileged, List<String> all) {
        if (privileged) return List.copyOf(all);
        List<String> adds = normalize(capAdd), drops = normalize(capDrop);
        if (adds.isEmpty() && drops.isEmpty()) return DEFAULT;
        List<String> caps = new ArrayList<>();
        if (adds.contains("ALL")) {
            for (String c : all) if (!drops.contains(c)) caps.add(c);
        } else if (drops.contains("ALL")) {
            caps.addAll(adds);
        } else {
            for (String c : DEFAULT) if (!drops.contains(c)) caps.add(c);
            for (String c : adds) if (!caps.contains(c)) caps.add(c);
        }
        return List.copyOf(caps);
    }
}
