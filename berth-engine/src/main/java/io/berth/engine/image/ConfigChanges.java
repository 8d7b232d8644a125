package io.berth.engine.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.DockerfileParser;
import io.berth.engine.build.dockerfile.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies Dockerfile instructions given as {@code --change} (import, later commit) to an image's
 * run configuration, in Docker's wire shape: CMD ENTRYPOINT ENV EXPOSE LABEL USER VOLUME WORKDIR
 * (also ONBUILD, STOPSIGNAL, SHELL and HEALTHCHECK as Docker allows them; HEALTHCHECK parsed as the Dockerfile's).
 */
final class ConfigChanges {
    private static final Set<String> ALLOWED = Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "VOLUME",
            "WORKDIR", "ONBUILD", "STOPSIGNAL", "SHELL", "HEALTHCHECK");

    private ConfigChanges() {}

    static void apply(ObjectNode config, List<String> changes) {
        for (String raw : changes) {
            for (String line : raw.split("\n")) {
                String change = line.strip();
                if (change.isEmpty()) continue;
                int sp = indexOfSpace(change);
                String instr = (sp < 0 ? change : change.substring(0, sp)).toUpperCase(Locale.ROOT);
                String args = sp < 0 ? "" : change.substring(sp).strip();
                if (!ALLOWED.contains(instr)) throw new BerthException.InvalidArgument(instr + " is not a valid change command");
                applyOne(config, instr, args);
            }
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static void applyOne(ObjectNode c, String instr, String args) {
        switch (instr) {
            case "CMD" -> c.set("Cmd", command(c, args));
            case "ENTRYPOINT" -> c.set("Entrypoint", command(c, args));
            case "SHELL" -> c.set("Shell", jsonArray(args, "SHELL"));
            case "ENV" -> {
                ArrayNode env = c.has("Env") && c.get("Env").isArray() ? (ArrayNode) c.get("Env") : c.putArray("Env");
                for (String[] kv : keyValues(args, "ENV")) {
                    for (int i = env.size() - 1; i >= 0; i--) if (env.get(i).asText().startsWith(kv[0] + "=")) env.remove(i);
                    env.add(kv[0] + "=" + kv[1]);
                }
            }
            case "LABEL" -> {
                ObjectNode labels = c.has("Labels") && c.get("Labels").isObject() ? (ObjectNode) c.get("Labels") : c.putObject("Labels");
                for (String[] kv : keyValues(args, "LABEL")) labels.put(kv[0], kv[1]);
            }
            case "EXPOSE" -> {
                ObjectNode ports = c.has("ExposedPorts") && c.get("ExposedPorts").isObject() ? (ObjectNode) c.get("ExposedPorts") : c.putObject("ExposedPorts");
                if (args.isEmpty()) throw new BerthException.InvalidArgument("EXPOSE requires at least one argument");
                for (String p : args.split("\\s+")) ports.putObject(port(p));
            }
            case "VOLUME" -> {
                ObjectNode vols = c.has("Volumes") && c.get("Volumes").isObject() ? (ObjectNode) c.get("Volumes") : c.putObject("Volumes");
                List<String> paths = args.startsWith("[") ? strings(jsonArray(args, "VOLUME")) : List.of(args.split("\\s+"));
                for (String v : paths) {
                    if (v.isBlank()) throw new BerthException.InvalidArgument("VOLUME specified can not be an empty string");
                    vols.putObject(v);
                }
            }
            case "USER" -> c.put("User", requireArg(args, "USER"));
            case "WORKDIR" -> {
                String dir = requireArg(args, "WORKDIR");
                String prev = c.has("WorkingDir") ? c.get("WorkingDir").asText("") : "";
                c.put("WorkingDir", dir.startsWith("/") ? dir : java.nio.file.Path.of(prev.isEmpty() ? "/" : prev).resolve(dir).normalize().toString());
            }
            case "STOPSIGNAL" -> c.put("StopSignal", requireArg(args, "STOPSIGNAL"));
            case "ONBUILD" -> {
                ArrayNode on = c.has("OnBuild") && c.get("OnBuild").isArray() ? (ArrayNode) c.get("OnBuild") : c.putArray("OnBuild");
                on.add(requireArg(args, "ONBUILD"));
            }
            case "HEALTHCHECK" -> c.set("Healthcheck", healthcheck(args));
            default -> throw new BerthException.InvalidArgument(instr + " is not a valid change command");
        }
    }

    /** The {@code Healthcheck} of a {@code HEALTHCHECK} line, parsed as the builder parses it; zero fields left out. */
    private static ObjectNode healthcheck(String args) {
        Instruction.Healthcheck h;
        try {
            h = (Instruction.Healthcheck) DockerfileParser.parse("FROM scratch\nHEALTHCHECK " + args).stages().getFirst()
                    .instructions().getFirst();
        } catch (BerthException.InvalidArgument e) {
            String m = e.getMessage();
            throw new BerthException.InvalidArgument(m.substring(m.indexOf(": ") + 2));
        }
        ObjectNode out = Json.plain().createObjectNode();
        h.test().forEach(out.putArray("Test")::add);
        putNanos(out, "Interval", h.interval());
        putNanos(out, "Timeout", h.timeout());
        putNanos(out, "StartPeriod", h.startPeriod());
        putNanos(out, "StartInterval", h.startInterval());
        if (h.retries() != null && h.retries() != 0) out.put("Retries", h.retries());
        return out;
    }

    private static void putNanos(ObjectNode o, String field, java.time.Duration d) {
        if (d != null && !d.isZero()) o.put(field, d.toNanos());
    }

    private static String requireArg(String args, String instr) {
        if (args.isEmpty()) throw new BerthException.InvalidArgument(instr + " requires exactly one argument");
        return args;
    }

    /** JSON form as is; shell form wrapped in the image's shell (default /bin/sh -c). */
    private static ArrayNode command(ObjectNode c, String args) {
        if (args.startsWith("[")) {
            try {
                return jsonArray(args, "CMD");
            } catch (BerthException.InvalidArgument e) {
                // not valid JSON: Docker falls back to the shell form
            }
        }
        ArrayNode out = Json.plain().createArrayNode();
        JsonNode shell = c.get("Shell");
        if (shell != null && shell.isArray() && !shell.isEmpty()) shell.forEach(out::add);
        else out.add("/bin/sh").add("-c");
        out.add(args);
        return out;
    }

    private static ArrayNode jsonArray(String args, String instr) {
        try {
            JsonNode n = Json.plain().readTree(args);
            if (n instanceof ArrayNode a) {
                for (JsonNode x : a) if (!x.isTextual()) throw new BerthException.InvalidArgument(instr + ": expected a JSON array of strings");
                return a;
            }
        } catch (JacksonException e) {
            // fall through
        }
        throw new BerthException.InvalidArgument(instr + ": expected a JSON array of strings, got " + args);
    }

    private static List<String> strings(ArrayNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** {@code k=v k2="v 2"} or the legacy {@code k v} form. */
    static List<String[]> keyValues(String args, String instr) {
        List<String> words = words(args);
        List<String[]> out = new ArrayList<>();
        if (words.isEmpty()) throw new BerthException.InvalidArgument(instr + " requires at least one argument");
        if (!words.getFirst().contains("=")) {
            int sp = indexOfSpace(args);
            if (sp < 0) throw new BerthException.InvalidArgument(instr + " must have two arguments");
            out.add(new String[] {args.substring(0, sp), unquote(args.substring(sp).strip())});
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) throw new BerthException.InvalidArgument(instr + " names can not be blank: " + w);
            out.add(new String[] {w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    /** Splits on unquoted whitespace, removing quotes and backslash escapes. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(ch)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
                continue;
            }
            inWord = true;
            if (ch == '\\' && i + 1 < s.length() && quote != '\'') {
                cur.append(s.charAt(++i));
            } else if ((ch == '"' || ch == '\'') && (quote == 0 || quote == ch)) {
                quote = quote == 0 ? ch : 0;
            } else {
                cur.append(ch);
            }
        }
        if (quote != 0) throw new BerthException.InvalidArgument("unterminated quote in: " + s);
        if (inWord) out.add(cur.toString());
        return out;
    }

    private static String unquote(String v) {
        List<String> w = words(v);
        return String.join(" ", w);
    }

    private static String port(String p) {
        String proto = "tcp";
        String num = p;
        int slash = p.indexOf('/');
        if (slash >= 0) {
            proto = p.substring(slash + 1).toLowerCase(Locale.ROOT);
            num = p.substring(0, slash);
        }
        if (!Set.of("tcp", "udp", "sctp").contains(proto) || !num.matches("[0-9]+(-[0-9]+)?")) {
            throw new BerthException.InvalidArgument("invalid containerPort: " + p);
        }
        return num + "/" + proto;
    }
}
