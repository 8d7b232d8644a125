package io.berth.engine.volume;

import io.berth.api.container.HostConfig;
import io.berth.api.container.Mount;
import io.berth.api.errors.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A container's mounts from its create request, in dockerd's order and with its errors: the
 * mounts of {@code --volumes-from} containers, then {@code Binds} ({@code -v}), then {@code Mounts}
 * ({@code --mount}), then the config's and image's {@code Volumes} not already covered (anonymous).
 * A volume mount without a name is anonymous; its name is chosen when the volume is created.
 */
final class MountParser {
    private static final Set<String> RW_MODES = Set.of("rw", "ro");
    private static final Set<String> LABEL_MODES = Set.of("z", "Z");
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> COPY_MODES = Set.of("nocopy");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");

    /** A mount and, for a volume it may have to create, that volume's labels and driver options. */
    record Request(MountPoint mount, Map<String, String> labels, Map<String, String> options) {}

    private MountParser() {}

    static List<Request> parse(HostConfig hc, Map<String, ?> configVolumes, Function<String, List<MountPoint>> volumesFrom) {
        Map<String, Request> out = new LinkedHashMap<>();
        if (hc.volumesFrom() != null) {
            for (String spec : hc.volumesFrom()) {
                if (spec == null || spec.isEmpty()) throw invalid("volumes-from specification cannot be an empty string");
                int colon = spec.indexOf(':');
                String ref = colon < 0 ? spec : spec.substring(0, colon);
                String mode = colon < 0 ? "rw" : spec.substring(colon + 1);
                if (!validMode(mode) || hasAny(mode, PROPAGATIONS) || hasAny(mode, COPY_MODES)) throw invalid("invalid mode: " + mode);
                for (MountPoint m : volumesFrom.apply(ref)) {
                    MountPoint cp = new MountPoint(m.type(), m.name(), m.source(), m.destination(), m.driver(), "",
                            m.rw() && readWrite(mode), m.propagation(), false, m.tmpfsData(), m.nonRecursive(), m.subpath());
                    out.put(cp.destination(), new Request(cp, null, null));
                }
            }
        }
        Set<String> explicit = new HashSet<>();
        if (hc.binds() != null) {
            for (String raw : hc.binds()) {
                MountPoint mp = parseBind(raw);
                if (!explicit.add(mp.destination())) throw invalid("Duplicate mount point: " + mp.destination());
                out.put(mp.destination(), new Request(mp, null, null));
            }
        }
        if (hc.mounts() != null) {
            for (Mount m : hc.mounts()) {
                Request r = parseMount(m);
                if (!explicit.add(r.mount().destination())) throw invalid("Duplicate mount point: " + r.mount().destination());
                out.put(r.mount().destination(), r);
            }
        }
        if (configVolumes != null) {
            for (String spec : configVolumes.keySet()) {
                if (!spec.startsWith("/")) throw invalid("invalid mount config: invalid mount path: '" + spec + "' mount path must be absolute");
                String dest = clean(spec);
                if (dest.equals("/")) throw invalid("invalid mount config: invalid specification: destination can't be '/'");
                if (out.containsKey(dest) || (hc.tmpfs() != null && (hc.tmpfs().containsKey(dest) || hc.tmpfs().containsKey(spec)))) continue;
                out.put(dest, new Request(new MountPoint("volume", null, null, dest, "local", "", true, "", true, null, false, null),
                        Map.of(LocalVolumeService.ANONYMOUS_LABEL, ""), null));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** {@code -v} syntax: {@code /dest}, {@code src:/dest}, {@code src:/dest:mode}. */
    static MountPoint parseBind(String raw) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) throw invalid("invalid volume specification: '" + raw + "'");
        String source = "", target, mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) throw invalid("invalid volume specification: '" + raw + "'");
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalid("invalid volume specification: '" + raw + "'");
        }
        if (!validMode(mode)) throw invalid("invalid mode: " + mode);
        boolean bind = source.startsWith("/");
        String type = bind ? "bind" : "volume";
        String prefix = "invalid volume specification: '" + raw + "': invalid mount config for type \"" + type + "\": ";
        if (target.isEmpty()) throw invalid(prefix + "field Target must not be empty");
        if (clean(target.startsWith("/") ? target : "/" + target).equals("/") && target.startsWith("/")) {
            throw invalid(prefix + "invalid specification: destination can't be '/'");
        }
        if (!target.startsWith("/")) throw invalid(prefix + "invalid mount path: '" + target + "' mount path must be absolute");
        boolean rw = readWrite(mode);
        String dest = clean(target);
        if (bind) {
            String prop = "rprivate";
            for (String o : mode.split(",")) if (PROPAGATIONS.contains(o)) prop = o;
            return new MountPoint("bind", null, clean(source), dest, null, mode, rw, prop, false, null, false, null);
        }
        if (source.isEmpty()) {
            return new MountPoint("volume", null, null, dest, "local", mode, rw, "", !hasAny(mode, COPY_MODES), null, false, null);
        }
        LocalVolumes.validateName(source);
        return new MountPoint("volume", source, null, dest, "local", mode.isEmpty() ? "z" : mode, rw, "",
                !hasAny(mode, COPY_MODES), null, false, null);
    }

    /** {@code --mount} (HostConfig.Mounts). */
    static Request parseMount(Mount m) {
        String type = m.type() == null ? "" : m.type();
        String prefix = "invalid mount config for type \"" + type + "\": ";
        String target = m.target() == null ? "" : m.target();
        if (target.isEmpty()) throw invalid(prefix + "field Target must not be empty");
        if (target.startsWith("/") && clean(target).equals("/")) throw invalid(prefix + "invalid specification: destination can't be '/'");
        if (!target.startsWith("/")) throw invalid(prefix + "invalid mount path: '" + target + "' mount path must be absolute");
        String dest = clean(target);
        boolean ro = Boolean.TRUE.equals(m.readOnly());
        String source = m.source() == null ? "" : m.source();
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) throw invalid(prefix + "field Source must not be empty");
                Mount.BindOptions b = m.bindOptions();
                String prop = b != null && b.propagation() != null && !b.propagation().isEmpty() ? b.propagation() : "rprivate";
                if (!PROPAGATIONS.contains(prop)) throw invalid(prefix + "invalid propagation mode: " + prop);
                if (m.volumeOptions() != null) throw invalid(prefix + "field VolumeOptions must not be specified");
                if (!source.startsWith("/")) throw invalid(prefix + "invalid mount path: '" + source + "' mount path must be absolute");
                boolean create = b != null && Boolean.TRUE.equals(b.createMountpoint());
                if (!create && !Files.exists(Path.of(source))) throw invalid(prefix + "bind source path does not exist: " + source);
                boolean nonRec = b != null && Boolean.TRUE.equals(b.nonRecursive());
                return new Request(new MountPoint("bind", null, clean(source), dest, null, "", !ro, prop, false, null, nonRec, null), null, null);
            }
            case "volume" -> {
                if (m.bindOptions() != null) throw invalid(prefix + "field BindOptions must not be specified");
                Mount.VolumeOptions v = m.volumeOptions();
                boolean anonymous = source.isEmpty();
                String subpath = v == null || v.subpath() == null || v.subpath().isEmpty() ? null : v.subpath();
                if (subpath != null) { // moby's errAnonymousVolumeWithSubpath and errInvalidSubpath
                    if (anonymous) throw invalid(prefix + "must not set Subpath when using anonymous volumes");
                    if (!VolumeSubpath.isLocal(subpath)) throw invalid(prefix + "subpath must be a relative path within the volume");
                }
                if (ro && anonymous) throw invalid(prefix + "must not set ReadOnly mode when using anonymous volumes");
                if (!anonymous) LocalVolumes.validateName(source);
                String driver = v != null && v.driverConfig() != null && v.driverConfig().name() != null && !v.driverConfig().name().isEmpty()
                        ? v.driverConfig().name() : "local";
                if (!driver.equals("local")) throw new BerthException.NotFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
                boolean copy = (v == null || !Boolean.TRUE.equals(v.noCopy())) && subpath == null;
                Map<String, String> labels = new LinkedHashMap<>();
                if (v != null && v.labels() != null) labels.putAll(v.labels());
                if (anonymous) labels.put(LocalVolumeService.ANONYMOUS_LABEL, "");
                Map<String, String> opts = v != null && v.driverConfig() != null ? v.driverConfig().options() : null;
                return new Request(new MountPoint("volume", anonymous ? null : source, null, dest, driver, "", !ro, "", copy, null, false,
                        subpath),
                        labels.isEmpty() ? null : labels, opts);
            }
            case "tmpfs" -> {
                if (m.bindOptions() != null) throw invalid(prefix + "field BindOptions must not be specified");
                if (!source.isEmpty()) throw invalid(prefix + "field Source must not be specified");
                return new Request(new MountPoint("tmpfs", null, "", dest, null, "", !ro, "", false, tmpfsData(m.tmpfsOptions(), prefix), false, null),
                        null, null);
            }
            default -> throw invalid(prefix + "mount type unknown");
        }
    }

    private static String tmpfsData(Mount.TmpfsOptions t, String prefix) {
        List<String> o = new ArrayList<>();
        if (t == null) return "";
        if (t.mode() != null && t.mode() != 0) o.add("mode=" + Integer.toOctalString(t.mode()));
        if (t.sizeBytes() != null && t.sizeBytes() != 0) {
            long size = t.sizeBytes();
            String suffix = "";
            for (Object[] r : new Object[][] {{"g", 1L << 30}, {"m", 1L << 20}, {"k", 1L << 10}}) {
                if (size % (long) r[1] == 0) {
                    size = size / (long) r[1];
                    suffix = (String) r[0];
                    break;
                }
            }
            o.add("size=" + size + suffix);
        }
        if (t.options() != null) {
            for (List<String> x : t.options()) {
                if (x.isEmpty() || x.size() > 2) throw invalid(prefix + "invalid option array length");
                if (!Set.of("exec", "noexec").contains(x.getFirst())) throw invalid(prefix + "invalid option: " + x.getFirst());
                o.add(x.size() == 1 ? x.getFirst() : x.get(0) + "=" + x.get(1));
            }
        }
        return String.join(",", o);
    }

    static boolean validMode(String mode) {
        if (mode.isEmpty()) return true;
        int rw = 0, label = 0, prop = 0, copy = 0, cons = 0;
        for (String o : mode.split(",")) {
            if (RW_MODES.contains(o)) rw++;
            else if (LABEL_MODES.contains(o)) label++;
            else if (PROPAGATIONS.contains(o)) prop++;
            else if (COPY_MODES.contains(o)) copy++;
            else if (CONSISTENCY.contains(o)) cons++;
            else return false;
        }
        return rw <= 1 && label <= 1 && prop <= 1 && copy <= 1 && cons <= 1;
    }

    static boolean readWrite(String mode) {
        if (!validMode(mode)) return false;
        for (String o : mode.split(",")) if (o.equals("ro")) return false;
        return true;
    }

    private static boolean hasAny(String mode, Set<String> set) {
        for (String o : mode.split(",")) if (set.contains(o)) return true;
        return false;
    }

    static String clean(String p) {
        String c = Path.of(p).normalize().toString();
        return c.length() > 1 && c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
    }

    private static BerthException.InvalidArgument invalid(String message) { return new BerthException.InvalidArgument(message); }
}
