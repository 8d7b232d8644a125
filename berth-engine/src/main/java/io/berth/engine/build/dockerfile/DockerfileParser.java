package io.berth.engine.build.dockerfile;

import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a Dockerfile's text into a {@link Dockerfile}, as the classic builder does with BuildKit's parser: a first
 * pass reads directives, lines, continuations and here-documents into nodes (its errors read
 * {@code failed to parse Dockerfile: …}), a second pass types each node (its errors read
 * {@code dockerfile parse error on line N: …}). A pure function of the text; nothing is expanded.
 */
public final class DockerfileParser {
    private DockerfileParser() {}

    /** Parses {@code text} (the Dockerfile's name in messages is {@code Dockerfile}). */
    public static Dockerfile parse(String text) {
        return parse(text, "Dockerfile");
    }

    /**
     * Parses {@code text}; {@code name} is the Dockerfile's path as the client gave it (moby's messages name it).
     * An empty text gives no stages: the builder reports "the Dockerfile (…) cannot be empty".
     */
    public static Dockerfile parse(String text, String name) {
        if (text.isEmpty()) {
            return new Dockerfile(Map.of(), List.of(), List.of());
        }
        LogicalLines lines = new LogicalLines(text);
        List<Node> nodes;
        try {
            nodes = nodes(lines);
        } catch (ParseError e) {
            throw new BerthException.InvalidArgument("failed to parse " + name + ": " + e.getMessage());
        }
        Map<String, String> directives = Map.copyOf(lines.directives().directives());
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<StageBuilder> stages = new ArrayList<>();
        for (Node node : nodes) {
            try {
                if (InstructionParser.isFrom(node)) {
                    InstructionParser.From from = InstructionParser.from(node);
                    stages.add(new StageBuilder(stages.size(), from));
                    continue;
                }
                Instruction instruction = InstructionParser.instruction(node);
                if (stages.isEmpty()) {
                    if (instruction instanceof Instruction.Arg arg) {
                        metaArgs.add(arg);
                        continue;
                    }
                    throw new BerthException.InvalidArgument("no build stage in current context");
                }
                stages.getLast().instructions.add(instruction);
            } catch (ParseError e) {
                throw new BerthException.InvalidArgument("dockerfile parse error on line " + node.startLine() + ": "
                        + e.getMessage());
            }
        }
        return new Dockerfile(directives, List.copyOf(metaArgs), stages.stream().map(StageBuilder::build).toList());
    }

    /** The first pass: every logical line to a node, here-document bodies read after the line that opens them. */
    private static List<Node> nodes(LogicalLines lines) {
        List<Node> nodes = new ArrayList<>();
        for (LogicalLines.Line line = lines.next(); line != null; line = lines.next()) {
            Node node = NodeParser.parse(line.text(), lines.directives().escape(), line.startLine(), line.endLine());
            if (node.canContainHeredoc() && line.text().contains("<<")) {
                List<Instruction.Heredoc> docs = new ArrayList<>();
                for (Instruction.Heredoc doc : Heredocs.inLine(line.text())) {
                    String body = lines.heredocBody(doc.name(), doc.chomp());
                    if (body == null) {
                        throw new ParseError("unterminated heredoc");
                    }
                    String content = doc.chomp() ? Heredocs.chomp(body) : body;
                    docs.add(new Instruction.Heredoc(doc.name(), content, doc.expand(), doc.chomp()));
                }
                node = node.withHeredocs(List.copyOf(docs), lines.lineNumber());
            }
            nodes.add(node);
        }
        if (nodes.isEmpty()) {
            throw new ParseError("file with no instructions");
        }
        return nodes;
    }

    /** A stage while its instructions are collected. */
    private static final class StageBuilder {
        private final int index;
        private final InstructionParser.From from;
        private final List<Instruction> instructions = new ArrayList<>();

        StageBuilder(int index, InstructionParser.From from) {
            this.index = index;
            this.from = from;
        }

        Dockerfile.Stage build() {
            return new Dockerfile.Stage(index, from.name(), from.base(), from.platform(), from.source(),
                    List.copyOf(instructions));
        }
    }
}
