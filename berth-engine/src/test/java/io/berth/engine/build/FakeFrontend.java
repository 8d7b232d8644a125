package io.berth.engine.build;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Json;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.Instruction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link BuildFrontend} for tests: the context is a map of file contents, the Dockerfile is parsed by a one-line-per-
 * instruction reader (no continuations, quotes or heredocs), {@code $V} and {@code ${V}} are expanded, and a COPY's
 * source hash is the hash of the named files' contents.
 */
final class FakeFrontend implements BuildFrontend {
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    final Map<String, String> files = new ConcurrentHashMap<>();
    final Path root;
    volatile String dockerfile = "";
    /** When set, what {@link #parse} returns (instructions the line reader cannot express, such as RUN --mount). */
    volatile Dockerfile parsed;

    /** What {@link #contextCache()} lists (a test puts records here). */
    final Map<String, io.berth.engine.service.BuildService.BuildCacheRecord> contextCache = new ConcurrentHashMap<>();

    FakeFrontend(Path root) { this.root = root; }

    @Override public List<io.berth.engine.service.BuildService.BuildCacheRecord> contextCache() {
        return List.copyOf(contextCache.values());
    }

    @Override public void removeContextCache(String id) { contextCache.remove(id); }

    @Override public String expand(String word, List<String> env, char escape) {
        Map<String, String> vars = new HashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            vars.put(e.substring(0, eq), e.substring(eq + 1));
        }
        Matcher m = VAR.matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(name, "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override public List<String> expandWords(String word, List<String> env, char escape) {
        return List.of(expand(word, env, escape).trim().split("\\s+"));
    }

    @Override public Context open(InputStream tar, String remote, String dockerfileName) {
        return new Context() {
            @Override public Path root() { return root; }

            @Override public void materialize() {}

            @Override public String dockerfile() { return dockerfile; }

            @Override public void close() {}
        };
    }

    @Override public PreparedCopy planCopy(Instruction instruction, Path sourceRoot, boolean fromContext, String workingDir) {
        Instruction.Copy c = (Instruction.Copy) instruction;
        StringBuilder all = new StringBuilder();
        for (String s : c.sources()) all.append(files.getOrDefault(s, "?")).append(',');
        String key = "COPY file:" + FakeBuildBackend.sha(all.toString()) + " in " + c.dest() + " ";
        return new PreparedCopy() {
            @Override public String cacheKey() { return key; }

            @Override public void apply(Path rootfs) {}

            @Override public void close() {}
        };
    }

    @Override public Dockerfile parse(String text, String name) {
        if (parsed != null) return parsed;
        List<Instruction.Arg> meta = new ArrayList<>();
        List<Dockerfile.Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            var src = new Dockerfile.Source(line, lineNo, lineNo);
            String[] kw = line.split("\\s+", 2);
            String keyword = kw[0].toUpperCase(Locale.ROOT);
            String rest = kw.length > 1 ? kw[1] : "";
            if (keyword.equals("FROM")) {
                String[] w = rest.split("\\s+");
                current = new ArrayList<>();
                stages.add(new Dockerfile.Stage(stages.size(), w.length == 3 ? w[2].toLowerCase(Locale.ROOT) : null, w[0], null,
                        src, current));
                continue;
            }
            Instruction i = instruction(keyword, rest, src);
            if (current == null) meta.add((Instruction.Arg) i);
            else current.add(i);
        }
        return new Dockerfile(Map.of(), meta, stages);
    }

    private static Instruction instruction(String keyword, String rest, Dockerfile.Source src) {
        return switch (keyword) {
            case "RUN" -> new Instruction.Run(src, command(rest), List.of(), null, null);
            case "CMD" -> new Instruction.Cmd(src, command(rest));
            case "ENTRYPOINT" -> new Instruction.Entrypoint(src, command(rest));
            case "ENV" -> new Instruction.Env(src, pairs(rest));
            case "LABEL" -> new Instruction.Label(src, pairs(rest));
            case "ARG" -> new Instruction.Arg(src, pairs(rest));
            case "WORKDIR" -> new Instruction.Workdir(src, rest);
            case "USER" -> new Instruction.User(src, rest);
            case "EXPOSE" -> new Instruction.Expose(src, List.of(rest.split("\\s+")));
            case "VOLUME" -> new Instruction.Volume(src, List.of(rest.split("\\s+")));
            case "ONBUILD" -> new Instruction.Onbuild(src, rest);
            case "MAINTAINER" -> new Instruction.Maintainer(src, rest);
            case "STOPSIGNAL" -> new Instruction.StopSignal(src, rest);
            case "COPY" -> {
                List<String> w = new ArrayList<>(List.of(rest.split("\\s+")));
                String from = null;
                if (w.getFirst().startsWith("--from=")) from = w.removeFirst().substring(7);
                String dest = w.removeLast();
                yield new Instruction.Copy(src, w, dest, List.of(), from, null, null, false, false, List.of());
            }
            default -> throw new IllegalArgumentException("the test parser does not know " + keyword);
        };
    }

    private static Instruction.Command command(String rest) {
        if (rest.startsWith("[")) {
            try {
                return new Instruction.Command(Json.plain().readValue(rest, new TypeReference<List<String>>() {}), false, List.of());
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return new Instruction.Command(List.of(rest), true, List.of());
    }

    private static List<Instruction.KeyValue> pairs(String rest) {
        List<Instruction.KeyValue> out = new ArrayList<>();
        for (String p : rest.split("\\s+")) {
            int eq = p.indexOf('=');
            out.add(eq < 0 ? new Instruction.KeyValue(p, null) : new Instruction.KeyValue(p.substring(0, eq), p.substring(eq + 1)));
        }
        return out;
    }
}
