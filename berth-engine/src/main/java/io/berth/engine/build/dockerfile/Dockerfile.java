package io.berth.engine.build.dockerfile;

import java.util.List;
import java.util.Map;

/**
 * A parsed Dockerfile: its parser directives (lower-case keys: {@code syntax}, {@code escape}, {@code check}), the
 * ARGs before the first FROM (the only ones FROM may use) and its stages in order. Nothing is expanded yet: variables
 * depend on the build's state and are expanded when each instruction is dispatched.
 */
public record Dockerfile(Map<String, String> directives, List<Instruction.Arg> metaArgs, List<Stage> stages) {
    /** The escape character ({@code \} unless {@code # escape=`}). */
    public char escape() {
        String e = directives.get("escape");
        return e == null || e.isEmpty() ? '\\' : e.charAt(0);
    }

    /**
     * One stage: {@code FROM [--platform=p] base [AS name]}. {@code name} is lower-cased (null without AS); {@code base}
     * and {@code platform} are unexpanded (they may use meta ARGs). {@code source} is the FROM line.
     */
    public record Stage(int index, String name, String base, String platform, Source source,
                        List<Instruction> instructions) {}

    /**
     * Where an instruction came from: the original text as Docker prints it in {@code Step N/M : <text>} (trimmed,
     * continuation lines joined, comments inside the continuation dropped) and its first and last line (1-based).
     */
    public record Source(String text, int startLine, int endLine) {}
}
