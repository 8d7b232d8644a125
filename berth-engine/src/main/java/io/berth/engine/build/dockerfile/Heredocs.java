package io.berth.engine.build.dockerfile;

import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's here-document words: {@code <<EOF}, {@code <<-EOF} (chomp), {@code <<"EOF"} / {@code <<'EOF'} or any
 * quoted part (no expansion), optionally after a file descriptor ({@code 3<<EOF}). Only RUN, COPY and ADD in shell
 * form (also as ONBUILD triggers) open here-documents.
 */
final class Heredocs {
    private static final Pattern WORD = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");
    private static final ShellLex RAW = new ShellLex('\\', true, true, true);
    private static final ShellLex UNQUOTED = new ShellLex('\\', false, false, true);
    private static final ShellLex QUOTED = new ShellLex('\\', true, false, true);

    private Heredocs() {}

    /** The here-documents a line opens, in order, without content yet. */
    static List<Instruction.Heredoc> inLine(String line) {
        List<String> words;
        try {
            words = RAW.processWords(line, Map.of());
        } catch (BerthException.InvalidArgument e) {
            return List.of();
        }
        List<Instruction.Heredoc> docs = new ArrayList<>();
        for (String word : words) {
            Instruction.Heredoc doc = parse(word);
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    /** The here-document a word names ({@code <<EOF}…), or null when it is not one (or its quotes do not close). */
    static Instruction.Heredoc parse(String word) {
        Matcher m = WORD.matcher(word);
        if (!m.matches() || m.group(3).isEmpty()) {
            return null;
        }
        String rest = m.group(3);
        List<String> plain;
        List<String> raw;
        try {
            plain = UNQUOTED.processWords(rest, Map.of());
            if (plain.size() != 1) {
                return null;
            }
            raw = QUOTED.processWords(rest, Map.of());
        } catch (BerthException.InvalidArgument e) {
            return null;
        }
        if (raw.size() != plain.size()) {
            throw new ParseError("internal lexing of heredoc produced inconsistent results: " + rest);
        }
        String name = plain.getFirst();
        boolean expand = quotes(name) == quotes(raw.getFirst());
        return new Instruction.Heredoc(name, "", expand, m.group(2).equals("-"));
    }

    /** The content with {@code <<-}'s leading tabs removed from every line. */
    static String chomp(String content) {
        return content.replaceAll("(?m)^\t+", "");
    }

    private static long quotes(String s) {
        return s.chars().filter(c -> c == '\'' || c == '"').count();
    }
}
