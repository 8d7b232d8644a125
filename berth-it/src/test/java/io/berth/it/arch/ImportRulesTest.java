package io.berth.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture's rules, checked on the main sources of every module: arrows point down only. It reads the
 * {@code import} lines and the fully qualified names ({@code io.berth.x.y.Type}) of each file, so no rule is broken
 * by writing a name out in full. Rules:
 * <ul>
 *   <li>no cycle between packages;</li>
 *   <li>modules depend only on the modules below them: api ← oci, http ← engine ← server; oci, http ← registry ←
 *   server, cli; api ← client ← cli;</li>
 *   <li>the engine's face ({@code io.berth.engine.service}) imports only berth-api;</li>
 *   <li>nothing in the engine imports the composition root ({@code io.berth.engine.daemon});</li>
 *   <li>the routers ({@code io.berth.server.api}) import only berth-api, the face and the HTTP layer.</li>
 * </ul>
 */
class ImportRulesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A reference to a type in a Berth package: {@code io.berth.engine.service.ContainerService} → the package. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.berth(?:\\.[a-z]\\w*)+)\\.[A-Z*]");

    /** package → the Berth packages its main sources refer to (itself excluded). */
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();
    /** package → the module that holds it. */
    private static final Map<String, String> MODULES = new TreeMap<>();

    /** The modules each module's main code may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED_MODULES = Map.of(
            "berth-api", Set.of(),
            "berth-oci", Set.of("berth-api"),
            "berth-http", Set.of("berth-api"),
            "berth-registry", Set.of("berth-api", "berth-oci", "berth-http"),
            "berth-engine", Set.of("berth-api", "berth-oci"),
            "berth-server", Set.of("berth-api", "berth-oci", "berth-http", "berth-engine", "berth-registry"),
            "berth-client", Set.of("berth-api", "berth-oci", "berth-http"),
            "berth-cli", Set.of("berth-api", "berth-oci", "berth-http", "berth-client", "berth-registry"));

    @BeforeAll
    static void readSources() throws IOException {
        Path root = Path.of(System.getProperty("berth.projectRoot", "..")).toAbsolutePath().normalize();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("berth-")).sorted().toList()) {
                Path src = module.resolve("src/main/java");
                if (!Files.isDirectory(src)) continue;
                try (Stream<Path> files = Files.walk(src)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> read(module.getFileName().toString(), f));
                }
            }
        }
        assertThat(MODULES).as("packages read").containsKeys("io.berth.engine.service", "io.berth.server.api");
    }

    private static void read(String module, Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher p = PACKAGE.matcher(source);
        if (!p.find()) return;
        String pkg = p.group(1);
        MODULES.put(pkg, module);
        Set<String> deps = DEPENDENCIES.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher r = REFERENCE.matcher(source);
        while (r.find()) if (!r.group(1).equals(pkg)) deps.add(r.group(1));
    }

    private static List<String> violations(String fromPrefix, java.util.function.Predicate<String> allowed) {
        List<String> out = new ArrayList<>();
        DEPENDENCIES.forEach((pkg, deps) -> {
            if (!inside(pkg, fromPrefix)) return;
            for (String d : deps) if (!allowed.test(d)) out.add(pkg + " -> " + d);
        });
        return out;
    }

    private static boolean inside(String pkg, String prefix) {
        return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
    }

    @Test
    void noPackageCycles() {
        assertThat(new Cycles(DEPENDENCIES).find()).as("package cycles").isEmpty();
    }

    @Test
    void modulesDependOnlyOnTheModulesBelowThem() {
        List<String> out = new ArrayList<>();
        DEPENDENCIES.forEach((pkg, deps) -> {
            String from = MODULES.get(pkg);
            for (String d : deps) {
                String to = MODULES.get(d);
                if (to == null || to.equals(from) || from.equals("berth-it")) continue;
                if (!ALLOWED_MODULES.getOrDefault(from, Set.of()).contains(to)) out.add(from + ": " + pkg + " -> " + d + " (" + to + ")");
            }
        });
        assertThat(out).as("imports across modules against the layering").isEmpty();
    }

    @Test
    void theFaceImportsOnlyTheApi() {
        assertThat(violations("io.berth.engine.service", d -> inside(d, "io.berth.api")))
                .as("io.berth.engine.service must import only berth-api").isEmpty();
    }

    @Test
    void nothingInTheEngineImportsTheCompositionRoot() {
        List<String> out = new ArrayList<>();
        DEPENDENCIES.forEach((pkg, deps) -> {
            if (inside(pkg, "io.berth.engine") && !inside(pkg, "io.berth.engine.daemon") && deps.contains("io.berth.engine.daemon"))
                out.add(pkg);
        });
        assertThat(out).as("engine packages importing io.berth.engine.daemon").isEmpty();
    }

    @Test
    void routersImportOnlyTheApiTheFaceAndHttp() {
        assertThat(violations("io.berth.server.api", d -> inside(d, "io.berth.api") || inside(d, "io.berth.engine.service")
                || inside(d, "io.berth.http") || inside(d, "io.berth.server.http")))
                .as("io.berth.server.api must import only berth-api, the face and the HTTP layer").isEmpty();
    }

    /** Tarjan's strongly connected components; every component of more than one package is a cycle. */
    private static final class Cycles {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> cycles = new ArrayList<>();

        Cycles(Map<String, Set<String>> graph) { this.graph = graph; }

        List<Set<String>> find() {
            for (String v : graph.keySet()) if (!index.containsKey(v)) visit(v);
            return cycles;
        }

        private void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) cycles.add(component);
            }
        }
    }
}
