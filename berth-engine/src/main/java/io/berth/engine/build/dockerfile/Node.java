package io.berth.engine.build.dockerfile;

import java.util.List;

/**
 * One logical line after BuildKit's first pass: the keyword as written, its {@code --flags}, its arguments as the
 * keyword's line parser cut them ({@code json} when they came from a JSON array), the original text, the
 * here-documents it opened with their content, and for ONBUILD the trigger's own node.
 */
record Node(String keyword, List<String> flags, List<String> args, boolean json, String original,
            List<Instruction.Heredoc> heredocs, int startLine, int endLine, Node trigger) {

    /** RUN, COPY and ADD in shell form (directly or as an ONBUILD trigger) read here-documents. */
    boolean canContainHeredoc() {
        Node n = trigger != null && keyword.equalsIgnoreCase("onbuild") ? trigger : this;
        String k = n.keyword.toLowerCase(java.util.Locale.ROOT);
        return (k.equals("run") || k.equals("copy") || k.equals("add")) && !n.json;
    }

    Node withHeredocs(List<Instruction.Heredoc> docs, int end) {
        return new Node(keyword, flags, args, json, original, docs, startLine, end, trigger);
    }

    Dockerfile.Source source() {
        return new Dockerfile.Source(original.strip(), startLine, endLine);
    }
}
