package io.berth.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;

/** Value parsers for container flags, with docker's (go-units, nat, opts) error messages. */
final class Opts {
    private Opts() {}

    /** A flag value docker's pflag would reject: printed as {@code invalid argument "v" for "-m, --memory" flag: msg}. */
    static final class FlagValueException extends RuntimeException {
        FlagValueException(String message) { super(message); }
    }

    /** A value rejected after flag parsing: printed as {@code berth: msg} plus the help hint, exit 125. */
    static final class InvalidValue extends RuntimeException {
        InvalidValue(String message) { super(message); }
    }

    // ---- go-units ----

    /** go-units RAMInBytes (binary multiples of k, m, g, t, p). */
    static long ramInBytes(String s) {
        int sep = -1;
        for (int i = s.length() - 1; i >= 0; i--) if ("01234567890. ".indexOf(s.charAt(i)) >= 0) { sep = i; break; }
        if (sep == -1) throw new FlagValueException("invalid size: '" + s + "'");
        String num, sfx;
        if (s.charAt(sep) != ' ') {
            num = s.substring(0, sep + 1);
            sfx = s.substring(sep + 1);
        } else {
            num = s.substring(0, sep);
            sfx = s.substring(sep + 1);
        }
        double size = parseFloat(num);
        if (size < 0) throw new FlagValueException("invalid size: '" + s + "'");
        if (sfx.isEmpty()) return (long) size;
        String l = sfx.toLowerCase(Locale.ROOT);
        if (sfx.length() > 3) throw new FlagValueException("invalid suffix: '" + sfx + "'");
        if (l.charAt(0) == 'b') {
            if (l.length() > 1) throw new FlagValueException("invalid suffix: '" + l + "'");
            return (long) size;
        }
        int pow = "kmgtp".indexOf(l.charAt(0));
        if (pow < 0) throw new FlagValueException("invalid suffix: '" + l + "'");
        size *= Math.pow(1024, pow + 1);
        if ((l.length() == 2 && l.charAt(1) != 'b') || (l.length() == 3 && !l.substring(1).equals("ib")))
            throw new FlagValueException("invalid suffix: '" + l + "'");
        return (long) size;
    }

    private static double parseFloat(String num) {
        try {
            if (!num.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) throw new NumberFormatException();
            return Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new FlagValueException("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
        }
    }

    /** {@code --memory-swap}: a size, or -1 for unlimited. */
    static long memSwapBytes(String s) { return s.equals("-1") ? -1 : ramInBytes(s); }

    /** {@code --cpus}: a rational number of CPUs as NanoCPUs. */
    static long nanoCpus(String s) {
        BigDecimal v;
        try {
            int slash = s.indexOf('/');
            if (slash >= 0) {
                BigDecimal a = new BigDecimal(new BigInteger(s.substring(0, slash)));
                BigDecimal b = new BigDecimal(new BigInteger(s.substring(slash + 1)));
                v = a.multiply(BigDecimal.valueOf(1_000_000_000L)).divide(b, java.math.MathContext.DECIMAL128);
            } else {
                v = new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000_000L));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new FlagValueException("failed to parse " + s + " as a rational number");
        }
        try {
            return v.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new FlagValueException("value is too precise");
        }
    }

    static long parseInt(String s, int bits) {
        try {
            long v = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            if (bits < 64 && (v < -(1L << (bits - 1)) || v >= (1L << (bits - 1))))
                throw new FlagValueException("strconv.ParseInt: parsing \"" + s + "\": value out of range");
            return v;
        } catch (NumberFormatException e) {
            boolean digits = s.matches("[+-]?\\d+");
            throw new FlagValueException("strconv.ParseInt: parsing \"" + s + "\": " + (digits ? "value out of range" : "invalid syntax"));
        }
    }

    static long parseUint(String s, int bits) {
        if (!s.matches("\\d+")) throw new FlagValueException("strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
        BigInteger v = new BigInteger(s);
        if (v.bitLength() > bits) throw new FlagValueException("strconv.ParseUint: parsing \"" + s + "\": value out of range");
        return v.longValue();
    }

    // ---- ulimits ----

    static final Set<String> ULIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile",
            "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    record Ulimit(String name, long soft, long hard) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", name);
            m.put("Hard", hard);
            m.put("Soft", soft);
            return m;
        }
    }

    /** go-units ParseUlimit: {@code name=soft[:hard]}. */
    static Ulimit ulimit(String val) {
        int eq = val.indexOf('=');
        if (eq < 0) throw new FlagValueException("invalid ulimit argument: " + val);
        String name = val.substring(0, eq);
        if (!ULIMITS.contains(name)) throw new FlagValueException("invalid ulimit type: " + name);
        String[] limits = val.substring(eq + 1).split(":", -1);
        if (limits.length > 2) throw new FlagValueException("too many limit value arguments - " + val.substring(eq + 1) + ", can only have up to two, `soft[:hard]`");
        long soft = parseInt(limits[0], 64);
        long hard = soft;
        if (limits.length == 2) hard = parseInt(limits[1], 64);
        if (soft > hard) throw new FlagValueException("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
        return new Ulimit(name, soft, hard);
    }

    // ---- restart policy ----

    record RestartPolicy(String name, int maximumRetryCount) {
        boolean isNone() { return name.isEmpty() || name.equals("no"); }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", name);
            m.put("MaximumRetryCount", maximumRetryCount);
            return m;
        }
    }

    /** docker opts.ParseRestartPolicy. */
    static RestartPolicy restartPolicy(String policy) {
        if (policy == null || policy.isEmpty()) return new RestartPolicy("", 0);
        int colon = policy.indexOf(':');
        String k = colon < 0 ? policy : policy.substring(0, colon);
        String v = colon < 0 ? "" : policy.substring(colon + 1);
        if (colon >= 0 && k.isEmpty()) throw new InvalidValue("invalid restart policy format: no policy provided before colon");
        int count = 0;
        if (!v.isEmpty()) {
            try {
                count = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new InvalidValue("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        return new RestartPolicy(k, count);
    }

    // ---- environment ----

    /** opts.ValidateEnv: {@code VAR} alone takes the value from {@code env} when set there. */
    static String env(String val, Map<String, String> env) {
        int eq = val.indexOf('=');
        String k = eq < 0 ? val : val.substring(0, eq);
        if (k.isEmpty()) throw new FlagValueException("invalid environment variable: " + val);
        if (eq >= 0) return val;
        String v = env.get(k);
        return v == null ? val : k + "=" + v;
    }

    /** docker's ReadKVEnvStrings: one {@code KEY=value} or {@code KEY} a line, {@code #} comments. */
    static List<String> envFile(String file, Map<String, String> env) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new InvalidValue("open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new InvalidValue("open " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            line = line.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String k = eq < 0 ? line : line.substring(0, eq);
            if (k.isEmpty()) throw new InvalidValue("no variable name on line '" + line + "'");
            if (k.chars().anyMatch(Character::isWhitespace)) throw new InvalidValue("variable '" + k.strip() + "' contains whitespaces");
            if (eq >= 0) out.add(line);
            else if (env.containsKey(k)) out.add(k + "=" + env.get(k));
        }
        return out;
    }

    /** {@code key=value} (or {@code key}) strings as a map. */
    static Map<String, String> kv(List<String> values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq < 0) m.put(v, "");
            else m.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return m;
    }

    // ---- ports ----

    record PortBinding(String hostIp, String hostPort) {}

    /** Exposed ports and bindings from {@code -p} specs, as nat.ParsePortSpecs. */
    record Ports(Map<String, Map<String, Object>> exposed, Map<String, List<PortBinding>> bindings) {}

    static Ports ports(List<String> specs) {
        Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        Map<String, List<PortBinding>> bindings = new LinkedHashMap<>();
        for (String spec : specs) {
            String proto = "tcp";
            String raw = spec;
            int slash = raw.lastIndexOf('/');
            if (slash >= 0) {
                proto = raw.substring(slash + 1).toLowerCase(Locale.ROOT);
                raw = raw.substring(0, slash);
                if (proto.isEmpty()) proto = "tcp";
            }
            String[] parts = raw.split(":", -1);
            int n = parts.length;
            String container = parts[n - 1];
            String ip = "", host = "";
            if (n == 2) host = parts[0];
            else if (n >= 3) {
                ip = String.join(":", java.util.Arrays.copyOf(parts, n - 2));
                host = parts[n - 2];
            }
            if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
            if (!ip.isEmpty() && !isIp(ip)) throw new InvalidValue("invalid IP address: " + ip);
            if (container.isEmpty()) throw new InvalidValue("no port specified: " + spec + "<empty>");
            int[] cr = portRange(container, "invalid containerPort: " + container);
            int[] hr = host.isEmpty() ? null : portRange(host, "invalid hostPort: " + host);
            if (!Set.of("tcp", "udp", "sctp").contains(proto)) throw new InvalidValue("invalid proto: " + proto);
            if (hr != null && (cr[1] - cr[0]) != (hr[1] - hr[0]) && cr[1] != cr[0])
                throw new InvalidValue("invalid ranges specified for container and host Ports: " + container + " and " + host);
            for (int i = 0; i <= cr[1] - cr[0]; i++) {
                String port = (cr[0] + i) + "/" + proto;
                String hp = "";
                if (hr != null) {
                    if (cr[1] == cr[0] && hr[1] != hr[0]) hp = hr[0] + "-" + hr[1];
                    else hp = Integer.toString(hr[0] + i);
                }
                exposed.put(port, Map.of());
                bindings.computeIfAbsent(port, k -> new ArrayList<>()).add(new PortBinding(ip, hp));
            }
        }
        return new Ports(exposed, bindings);
    }

    private static int[] portRange(String s, String error) {
        String[] ab = s.split("-", -1);
        if (ab.length > 2) throw new InvalidValue(error);
        try {
            int a = Integer.parseInt(ab[0]);
            int b = ab.length == 2 ? Integer.parseInt(ab[1]) : a;
            if (a < 0 || b > 65535 || b < a) throw new InvalidValue(error);
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new InvalidValue(error);
        }
    }

    static boolean isIp(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String p : s.split("\\.")) if (Integer.parseInt(p) > 255) return false;
            return true;
        }
        return s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    /** {@code --add-host host:ip} (or {@code host=ip}); stored as {@code host:ip}. */
    static String extraHost(String val) {
        int sep = val.indexOf('=');
        if (sep < 0) sep = val.indexOf(':');
        if (sep <= 0) throw new FlagValueException("bad format for add-host: \"" + val + "\"");
        String host = val.substring(0, sep), ip = val.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        if (!ip.equals("host-gateway") && !isIp(ip)) throw new FlagValueException("invalid IP address in add-host: \"" + ip + "\"");
        return host + ":" + ip;
    }

    /** {@code --device /dev/x[:/dev/y[:rwm]]}. */
    static Map<String, Object> device(String val) {
        String[] p = val.split(":", -1);
        String src = p[0], dst = src, perms = "rwm";
        if (p.length == 2) {
            if (p[1].matches("[rwm]{1,3}")) perms = p[1];
            else dst = p[1];
        } else if (p.length == 3) {
            dst = p[1];
            perms = p[2];
        } else if (p.length > 3) throw new FlagValueException("invalid device specification: " + val);
        if (!perms.matches("[rwm]{1,3}")) throw new FlagValueException("invalid device mode: " + perms);
        if (!dst.startsWith("/")) throw new FlagValueException(dst + " is not an absolute path");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PathOnHost", src);
        m.put("PathInContainer", dst);
        m.put("CgroupPermissions", perms);
        return m;
    }

    /** {@code --security-opt}: {@code no-new-privileges}, {@code key=value} or {@code key:value}; seccomp profiles are read. */
    static String securityOpt(String opt) {
        if (opt.equals("no-new-privileges")) return opt;
        int eq = opt.indexOf('=');
        if (eq < 0) eq = opt.indexOf(':');
        if (eq < 0) throw new InvalidValue("Invalid --security-opt: \"" + opt + "\"");
        String k = opt.substring(0, eq), v = opt.substring(eq + 1);
        if (k.equals("seccomp") && !v.equals("unconfined") && !v.equals("builtin")) {
            try {
                return "seccomp=" + Files.readString(Path.of(v)).strip();
            } catch (IOException e) {
                throw new InvalidValue("opening seccomp profile (" + v + ") failed: open " + v + ": no such file or directory");
            }
        }
        return opt;
    }

    // ---- picocli converters: errors surface as docker's "invalid argument" lines ----

    static final class Mem implements ITypeConverter<Long> {
        @Override public Long convert(String v) { return ramInBytes(v); }
    }

    static final class MemSwap implements ITypeConverter<Long> {
        @Override public Long convert(String v) { return memSwapBytes(v); }
    }

    static final class Cpus implements ITypeConverter<Long> {
        @Override public Long convert(String v) { return nanoCpus(v); }
    }

    static final class Int64 implements ITypeConverter<Long> {
        @Override public Long convert(String v) { return parseInt(v, 64); }
    }

    static final class Int32 implements ITypeConverter<Integer> {
        @Override public Integer convert(String v) { return (int) parseInt(v, 32); }
    }

    static final class Uint16 implements ITypeConverter<Integer> {
        @Override public Integer convert(String v) { return (int) parseUint(v, 16); }
    }

    static final class UlimitConv implements ITypeConverter<Ulimit> {
        @Override public Ulimit convert(String v) { return ulimit(v); }
    }

    static final class HostConv implements ITypeConverter<String> {
        @Override public String convert(String v) { return extraHost(v); }
    }

    static final class FilterConv implements ITypeConverter<String> {
        @Override public String convert(String v) { return filter(v); }
    }

    /** A {@code --filter} value: {@code name=value}. */
    static String filter(String v) {
        if (!v.contains("=")) throw new FlagValueException("bad format of filter (expected name=value)");
        return v;
    }
}
