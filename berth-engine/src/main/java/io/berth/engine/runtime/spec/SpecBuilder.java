package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.container.DeviceMapping;
import io.berth.api.container.HostConfig;
import io.berth.api.container.Ulimit;
import io.berth.api.image.ContainerConfig;
import io.berth.api.errors.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the OCI runtime {@code config.json} (runtime-spec 1.0.2, as runc 1.1 reads it) for a
 * container, with Docker Engine's defaults ({@code oci/defaults.go}, {@code daemon/oci_linux.go}).
 * Pure apart from reading the host's device nodes through {@link HostFacts#devices()}.
 */
public final class SpecBuilder {
    public static final String OCI_VERSION = "1.0.2-dev";
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
    public static final long MIN_MEMORY = 6L * 1024 * 1024;
    public static final long DEFAULT_NOFILE = 1048576;
    public static final String INIT_PATH_IN_CONTAINER = "/sbin/docker-init";

    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** {@code --ulimit} names Docker accepts (go-units). */
    public static final Set<String> ULIMIT_NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private SpecBuilder() {}

    /** The security options of a request, parsed like Docker's {@code parseSecurityOpt}. */
    record SecurityOpts(boolean noNewPrivileges, boolean seccompUnconfined, JsonNode seccompProfile,
            boolean systemPathsUnconfined) {
        static SecurityOpts parse(List<String> opts) {
            boolean nnp = false, unconfined = false, sysUnconfined = false;
            JsonNode profile = null;
            if (opts != null) {
                for (String opt : opts) {
                    if (opt.equals("no-new-privileges")) {
                        nnp = true;
                        continue;
                    }
                    if (opt.equals("disable")) continue; // label=disable, old form
                    int eq = opt.indexOf('=');
                    int colon = opt.indexOf(':');
                    int sep = eq < 0 ? colon : (colon < 0 ? eq : Math.min(eq, colon));
                    if (sep < 0) throw new BerthException.InvalidArgument("invalid --security-opt 1: \"" + opt + "\"");
                    String k = opt.substring(0, sep), v = opt.substring(sep + 1);
                    switch (k) {
                        case "no-new-privileges" -> {
                            if (!v.equals("true") && !v.equals("false")) throw new BerthException.InvalidArgument(
                                    "invalid --security-opt 2: \"" + opt + "\"");
                            nnp = v.equals("true");
                        }
                        case "seccomp" -> {
                            if (v.equals("unconfined")) unconfined = true;
                            else if (v.strip().startsWith("{")) profile = Seccomp.parse(v);
                            else profile = Seccomp.load(Path.of(v));
                        }
                        case "systempaths" -> {
                            if (!v.equals("unconfined")) throw new BerthException.InvalidArgument(
                                    "invalid --security-opt 2: \"" + opt + "\"");
                            sysUnconfined = true;
                        }
                        case "label", "apparmor", "writable-cgroups" -> { /* no SELinux/AppArmor here */ }
                        default -> throw new BerthException.InvalidArgument(
                                "invalid --security-opt 2: \"" + opt + "\"");
                    }
                }
            }
            return new SecurityOpts(nnp, unconfined, profile, sysUnconfined);
        }
    }

    /** The config.json of the container described by {@code in}. */
    public static ObjectNode build(SpecInput in) {
        HostConfig hc = in.create().hostConfigOrEmpty();
        HostFacts host = in.host();
        ContainerConfig merged = ConfigMerge.merge(in.create().containerConfig(), in.imageConfig());
        boolean privileged = Boolean.TRUE.equals(hc.privileged());
        SecurityOpts sec = SecurityOpts.parse(hc.securityOpt());
        List<String> caps = Capabilities.tweak(hc.capAdd(), hc.capDrop(), privileged, host.capabilities());

        ObjectNode spec = Json.plain().createObjectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process(in, hc, merged, caps, sec));
        ObjectNode root = spec.putObject("root");
        root.put("path", in.rootfs().toString());
        if (Boolean.TRUE.equals(hc.readonlyRootfs())) root.put("readonly", true);
        boolean utsHost = mode(hc.utsMode(), "UTS").equals("host");
        if (!utsHost && in.hostname() != null) spec.put("hostname", in.hostname());
        spec.set("mounts", mounts(in, hc, privileged));
        spec.set("linux", linux(in, hc, caps, sec, privileged));
        return spec;
    }

    // ---- process -------------------------------------------------------------------------------

    private static ObjectNode process(SpecInput in, HostConfig hc, ContainerConfig merged, List<String> caps,
            SecurityOpts sec) {
        boolean tty = merged.tty();
        List<Integer> cs = hc.consoleSize();
        boolean sized = tty && cs != null && cs.size() == 2 && cs.get(0) != null && cs.get(1) != null
                && (cs.get(0) > 0 || cs.get(1) > 0);
        List<String> args = new ArrayList<>(ConfigMerge.args(merged));
        if (Boolean.TRUE.equals(hc.init())) {
            if (in.host().initBinary() == null) {
                throw new BerthException.InvalidArgument("--init given but no init binary is configured for the daemon");
            }
            args.addAll(0, List.of(INIT_PATH_IN_CONTAINER, "--"));
        }
        String wd = merged.workingDir();
        ObjectNode p = OciProcess.create().terminal(tty).consoleSize(sized ? cs : null)
                .user(in.user() == null ? ResolvedUser.ROOT : in.user())
                .args(args)
                .env(ConfigMerge.replaceOrAppend(OciProcess.defaultEnv(in.hostname(), tty), merged.env()))
                .cwd(wd == null || wd.isEmpty() ? "/" : wd)
                .capabilities(caps)
                .node();
        p.set("rlimits", rlimits(hc.ulimits(), in.host().nofileHard()));
        if (sec.noNewPrivileges()) p.put("noNewPrivileges", true);
        int oom = hc.oomScoreAdj() == null ? 0 : hc.oomScoreAdj();
        if (oom < -1000 || oom > 1000) {
            throw new BerthException.InvalidArgument(
                    "Invalid value " + oom + ", range for oom score adj is [-1000, 1000]");
        }
        p.put("oomScoreAdj", oom);
        return p;
    }

    static ArrayNode rlimits(List<Ulimit> ulimits, long hostNofileHard) {
        Map<String, long[]> byType = new LinkedHashMap<>();
        long nofile = Math.min(DEFAULT_NOFILE, hostNofileHard);
        byType.put("RLIMIT_NOFILE", new long[] {nofile, nofile});
        if (ulimits != null) {
            for (Ulimit ul : ulimits) {
                String name = ul.name() == null ? "" : ul.name();
                if (!ULIMIT_NAMES.contains(name)) throw new BerthException.InvalidArgument("invalid ulimit type: " + name);
                long soft = ul.soft() == null ? 0 : ul.soft(), hard = ul.hard() == null ? 0 : ul.hard();
                if (soft > hard) throw new BerthException.InvalidArgument(
                        "ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
                byType.put("RLIMIT_" + name.toUpperCase(Locale.ROOT), new long[] {soft, hard});
            }
        }
        ArrayNode out = Json.plain().createArrayNode();
        byType.forEach((type, v) -> {
            ObjectNode r = out.addObject();
            r.put("type", type);
            r.put("hard", v[1]);
            r.put("soft", v[0]);
        });
        return out;
    }

    // ---- mounts --------------------------------------------------------------------------------

    private static ArrayNode mounts(SpecInput in, HostConfig hc, boolean privileged) {
        String ipc = mode(hc.ipcMode(), "IPC");
        long shm = hc.shmSize() == null || hc.shmSize() == 0 ? DEFAULT_SHM_SIZE : hc.shmSize();
        if (shm < 0) throw new BerthException.InvalidArgument("SHM size can not be less than 0");
        String sysRo = privileged ? "rw" : "ro";
        List<MountSpec> defaults = new ArrayList<>(List.of(
                new MountSpec("/proc", "proc", "proc", List.of("rw", "nosuid", "noexec", "nodev")),
                new MountSpec("/dev", "tmpfs", "tmpfs", List.of("rw", "nosuid", "strictatime", "mode=755", "size=65536k")),
                new MountSpec("/dev/pts", "devpts", "devpts",
                        List.of("rw", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new MountSpec("/sys", "sysfs", "sysfs", List.of(sysRo, "nosuid", "noexec", "nodev")),
                new MountSpec("/sys/fs/cgroup", "cgroup", "cgroup", List.of(sysRo, "nosuid", "noexec", "nodev")),
                new MountSpec("/dev/mqueue", "mqueue", "mqueue", List.of("rw", "nosuid", "noexec", "nodev"))));
        switch (ipc) {
            case "host" -> defaults.add(new MountSpec("/dev/shm", "bind", "/dev/shm", List.of("rbind", "rprivate")));
            case "none" -> { }
            default -> defaults.add(new MountSpec("/dev/shm", "tmpfs", "shm",
                    List.of("rw", "nosuid", "noexec", "nodev", "mode=1777", "size=" + shm)));
        }
        List<MountSpec> user = new ArrayList<>(in.extraMounts());
        if (hc.tmpfs() != null) {
            hc.tmpfs().forEach((dest, opts) -> {
                List<String> o = new ArrayList<>(List.of("rw", "noexec", "nosuid", "nodev"));
                if (opts != null && !opts.isBlank()) for (String x : opts.split(",")) o.add(x.strip());
                user.add(new MountSpec(dest, "tmpfs", "tmpfs", o));
            });
        }
        if (Boolean.TRUE.equals(hc.init())) {
            user.add(new MountSpec(INIT_PATH_IN_CONTAINER, "bind", in.host().initBinary().toString(),
                    List.of("bind", "ro")));
        }
        // Docker sorts user mounts by depth so that parents are mounted before children
        user.sort(Comparator.comparingInt(m -> depth(m.destination())));
        Set<String> userDest = new java.util.HashSet<>();
        for (MountSpec m : user) userDest.add(clean(m.destination()));
        boolean userDev = userDest.contains("/dev");
        ArrayNode out = Json.plain().createArrayNode();
        for (MountSpec m : defaults) {
            if (userDest.contains(m.destination())) continue;
            if (userDev && m.destination().startsWith("/dev/")) continue;
            add(out, m);
        }
        for (MountSpec m : user) add(out, m);
        return out;
    }

    private static void add(ArrayNode out, MountSpec m) {
        ObjectNode o = out.addObject();
        o.put("destination", m.destination());
        o.put("type", m.type());
        o.put("source", m.source());
        strings(o.putArray("options"), m.options());
    }

    private static int depth(String p) {
        String c = clean(p);
        return c.equals("/") ? 0 : c.split("/").length - 1;
    }

    private static String clean(String p) {
        return Path.of("/").resolve(p).normalize().toString();
    }

    // ---- linux ---------------------------------------------------------------------------------

    private static ObjectNode linux(SpecInput in, HostConfig hc, List<String> caps, SecurityOpts sec,
            boolean privileged) {
        HostFacts host = in.host();
        ObjectNode l = Json.plain().createObjectNode();
        if (hc.sysctls() != null && !hc.sysctls().isEmpty()) {
            ObjectNode s = l.putObject("sysctl");
            hc.sysctls().forEach((k, v) -> {
                validateSysctl(k, hc);
                s.put(k, v);
            });
        }
        ObjectNode resources = Resources.build(hc, host);
        ArrayNode devRules = resources.putArray("devices");
        ArrayNode devices = Json.plain().createArrayNode();
        if (privileged) {
            for (LinuxDevice d : host.devices().all()) addDevice(devices, d);
            devRules.addObject().put("allow", true).put("access", "rwm");
        } else {
            rule(devRules, false, null, null, null, "rwm");
            for (long[] mm : new long[][] {{1, 5}, {1, 3}, {1, 9}, {1, 8}, {5, 0}, {5, 1}}) {
                rule(devRules, true, "c", mm[0], mm[1], "rwm");
            }
            rule(devRules, false, "c", 10L, 229L, "rwm");
            if (hc.devices() != null) {
                for (DeviceMapping dm : hc.devices()) {
                    String perms = dm.cgroupPermissions() == null || dm.cgroupPermissions().isEmpty()
                            ? "rwm" : dm.cgroupPermissions();
                    if (!perms.matches("[rwm]{1,3}")) {
                        throw new BerthException.InvalidArgument("invalid device mode: " + perms);
                    }
                    String hostPath = dm.pathOnHost();
                    String ctrPath = dm.pathInContainer() == null || dm.pathInContainer().isEmpty()
                            ? hostPath : dm.pathInContainer();
                    for (LinuxDevice d : host.devices().lookup(hostPath)) {
                        String at = d.path().equals(hostPath) ? ctrPath
                                : ctrPath + d.path().substring(hostPath.length());
                        addDevice(devices, d.at(at));
                        rule(devRules, true, d.type(), d.major(), d.minor(), perms);
                    }
                }
            }
            if (hc.deviceCgroupRules() != null) {
                for (String r : hc.deviceCgroupRules()) deviceCgroupRule(devRules, r);
            }
        }
        if (in.cgroupsPath() != null) l.put("cgroupsPath", in.cgroupsPath());
        l.set("resources", resources);
        l.set("namespaces", namespaces(in, hc));
        if (!devices.isEmpty()) l.set("devices", devices);
        boolean unconfinedPaths = privileged || sec.systemPathsUnconfined();
        if (!unconfinedPaths) {
            strings(l.putArray("maskedPaths"), hc.maskedPaths() != null ? hc.maskedPaths() : MASKED_PATHS);
            strings(l.putArray("readonlyPaths"), hc.readonlyPaths() != null ? hc.readonlyPaths() : READONLY_PATHS);
        }
        if (!privileged && !sec.seccompUnconfined()) {
            JsonNode profile = sec.seccompProfile() != null ? sec.seccompProfile() : host.defaultSeccompProfile().get();
            if (profile != null) l.set("seccomp", Seccomp.toOci(profile, caps, host.goArch(), host.kernelRelease()));
        }
        return l;
    }

    private static void addDevice(ArrayNode devices, LinuxDevice d) {
        ObjectNode o = devices.addObject();
        o.put("path", d.path());
        o.put("type", d.type());
        o.put("major", d.major());
        o.put("minor", d.minor());
        o.put("fileMode", d.fileMode());
        o.put("uid", d.uid());
        o.put("gid", d.gid());
    }

    private static void rule(ArrayNode rules, boolean allow, String type, Long major, Long minor, String access) {
        ObjectNode r = rules.addObject();
        r.put("allow", allow);
        if (type != null) r.put("type", type);
        if (major != null) r.put("major", major);
        if (minor != null) r.put("minor", minor);
        r.put("access", access);
    }

    /** {@code --device-cgroup-rule 'c 42:* rmw'}. */
    private static void deviceCgroupRule(ArrayNode rules, String rule) {
        var m = java.util.regex.Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$").matcher(rule.strip());
        if (!m.matches()) throw new BerthException.InvalidArgument("invalid device cgroup format '" + rule + "'");
        Long major = m.group(2).equals("*") ? null : Long.parseLong(m.group(2));
        Long minor = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
        rule(rules, true, m.group(1), major, minor, m.group(4));
    }

    private static ArrayNode namespaces(SpecInput in, HostConfig hc) {
        ArrayNode ns = Json.plain().createArrayNode();
        Map<String, Path> paths = in.namespacePaths();
        ns.addObject().put("type", "mount");
        String net = hc.networkMode() == null ? "" : hc.networkMode();
        if (!net.equals("host")) {
            namespace(ns, "network", paths.get("network"), net.startsWith("container:"), "network mode " + net);
        }
        String uts = mode(hc.utsMode(), "UTS");
        if (!uts.equals("host")) namespace(ns, "uts", paths.get("uts"), false, "UTS mode " + uts);
        String pid = mode(hc.pidMode(), "PID");
        if (!pid.equals("host")) namespace(ns, "pid", paths.get("pid"), pid.startsWith("container:"), "PID mode " + pid);
        String ipc = mode(hc.ipcMode(), "IPC");
        if (!ipc.equals("host")) namespace(ns, "ipc", paths.get("ipc"), ipc.startsWith("container:"), "IPC mode " + ipc);
        String cg = hc.cgroupnsMode() == null ? "" : hc.cgroupnsMode();
        boolean privateCg = switch (cg) {
            case "" -> in.host().cgroupV2();
            case "private" -> true;
            case "host" -> false;
            default -> throw new BerthException.InvalidArgument("invalid cgroup namespace mode: " + cg);
        };
        if (privateCg) ns.addObject().put("type", "cgroup");
        String userns = hc.usernsMode() == null ? "" : hc.usernsMode();
        if (!userns.isEmpty() && !userns.equals("host")) {
            throw new BerthException.InvalidArgument("invalid USER mode: " + userns);
        }
        return ns;
    }

    private static void namespace(ArrayNode ns, String type, Path path, boolean needsPath, String what) {
        if (needsPath && path == null) {
            throw new BerthException.InvalidArgument("no namespace path given to join for " + what);
        }
        ObjectNode o = ns.addObject().put("type", type);
        if (path != null) o.put("path", path.toString());
    }

    /** Validates an IPC/PID/UTS mode, returning it ("" is private). */
    private static String mode(String m, String kind) {
        String v = m == null ? "" : m;
        boolean ok = switch (kind) {
            case "IPC" -> v.isEmpty() || v.equals("host") || v.equals("private") || v.equals("shareable")
                    || v.equals("none") || (v.startsWith("container:") && v.length() > 10);
            case "PID" -> v.isEmpty() || v.equals("host") || (v.startsWith("container:") && v.length() > 10);
            default -> v.isEmpty() || v.equals("host");
        };
        if (!ok) throw new BerthException.InvalidArgument("invalid " + kind + " mode: " + v);
        return v;
    }

    private static void validateSysctl(String k, HostConfig hc) {
        boolean ipc = IPC_SYSCTLS.contains(k) || k.startsWith("fs.mqueue.");
        boolean net = k.startsWith("net.");
        if (ipc) {
            if ("host".equals(hc.ipcMode())) throw new BerthException.InvalidArgument(
                    "sysctl '" + k + "' is not allowed in host IPC namespace");
            return;
        }
        if (net) {
            if ("host".equals(hc.networkMode())) throw new BerthException.InvalidArgument(
                    "sysctl '" + k + "' not allowed in host network namespace");
            return;
        }
        if (k.equals("kernel.domainname") || k.equals("kernel.hostname")) return;
        throw new BerthException.InvalidArgument("sysctl '" + k + "' is not allowed");
    }

    private static void strings(ArrayNode a, List<String> values) {
        if (values != null) values.forEach(a::add);
    }
}
