package io.berth.engine.build.dockerfile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BuildKit's line parsers: cut one logical line into a {@link Node} by its keyword's rule — JSON array or shell text
 * (RUN, CMD, ENTRYPOINT, SHELL), JSON array or words (COPY, ADD, VOLUME), {@code name=value} pairs or the legacy
 * {@code name value} (ENV, LABEL), words (ARG), white-space fields (FROM, EXPOSE), one string (USER, WORKDIR,
 * MAINTAINER, STOPSIGNAL), a type then a command (HEALTHCHECK), a nested line (ONBUILD). Unknown keywords keep no
 * arguments: they fail in the second pass.
 */
final class NodeParser {
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");

    private NodeParser() {}

    static Node parse(String line, char escape, int startLine, int endLine) {
        Words.Split split = Words.split(line, escape);
        String rest = split.rest();
        String keyword = split.keyword().toLowerCase(Locale.ROOT);
        Node trigger = null;
        Args args = switch (keyword) {
            case "add", "copy", "volume" -> maybeJsonToList(rest);
            case "arg" -> new Args(Words.parseWords(rest, escape), false);
            case "cmd", "entrypoint", "run", "shell" -> maybeJson(rest);
            case "env" -> nameVal(rest, "ENV", escape);
            case "label" -> nameVal(rest, "LABEL", escape);
            case "expose", "from" -> new Args(Words.whitespaceDelimited(rest), false);
            case "healthcheck" -> health(rest);
            case "maintainer", "stopsignal", "user", "workdir" ->
                    new Args(rest.isEmpty() ? List.of() : List.of(rest), false);
            case "onbuild" -> {
                if (rest.isEmpty()) {
                    yield new Args(List.of(), false);
                }
                trigger = parse(rest, escape, startLine, endLine);
                List<String> a = new ArrayList<>();
                a.add(trigger.keyword());
                a.addAll(trigger.args());
                yield new Args(a, false);
            }
            default -> new Args(List.of(), false);
        };
        return new Node(split.keyword(), split.flags(), args.values(), args.json(), line, List.of(), startLine,
                endLine, trigger);
    }

    private record Args(List<String> values, boolean json) {}

    /** A JSON array of strings, or null when {@code rest} is not valid JSON (the caller falls back). */
    private static Args json(String rest) {
        String text = rest.stripLeading();
        if (!text.startsWith("[")) {
            return null;
        }
        JsonNode node;
        try (JsonParser p = Json.plain().createParser(text)) {
            node = Json.plain().readTree(p);
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new ParseError("when using JSON array syntax, arrays must be comprised of strings only");
            }
            values.add(element.asText());
        }
        return new Args(values, true);
    }

    private static Args maybeJson(String rest) {
        if (rest.isEmpty()) {
            return new Args(List.of(), false);
        }
        Args a = json(rest);
        return a != null ? a : new Args(List.of(rest), false);
    }

    private static Args maybeJsonToList(String rest) {
        Args a = json(rest);
        return a != null ? a : new Args(Words.whitespaceDelimited(rest), false);
    }

    /** {@code K=v K2=v2} or legacy {@code K v…}: flattened as (key, value, separator) triples, as BuildKit's AST. */
    private static Args nameVal(String rest, String key, char escape) {
        List<String> words = Words.parseWords(rest, escape);
        if (words.isEmpty()) {
            return new Args(List.of(), false);
        }
        if (!words.getFirst().contains("=")) {
            String[] parts = WHITESPACE.split(rest, 2);
            if (parts.length < 2) {
                throw new ParseError(key + " must have two arguments");
            }
            return new Args(List.of(parts[0], parts[1], ""), false);
        }
        List<String> triples = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new ParseError("Syntax error - can't find = in " + GoQuote.of(word)
                        + ". Must be of the form: name=value");
            }
            triples.add(word.substring(0, eq));
            triples.add(word.substring(eq + 1));
            triples.add("=");
        }
        return new Args(triples, false);
    }

    private static Args health(String rest) {
        int sep = 0;
        while (sep < rest.length() && !Character.isWhitespace(rest.charAt(sep))) {
            sep++;
        }
        if (sep == 0) {
            return new Args(List.of(), false);
        }
        int next = sep;
        while (next < rest.length() && Character.isWhitespace(rest.charAt(next))) {
            next++;
        }
        Args cmd = maybeJson(rest.substring(next));
        List<String> all = new ArrayList<>();
        all.add(rest.substring(0, sep));
        all.addAll(cmd.values());
        return new Args(all, cmd.json());
    }
}
