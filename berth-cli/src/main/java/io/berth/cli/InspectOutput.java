package io.berth.cli;

import io.berth.cli.format.Template;
import io.berth.cli.format.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the inspect commands print: the objects' raw JSON as one indented array (no format, or
 * {@code json}), or one line per object from the {@code --format} template.
 */
final class InspectOutput {
    private final Cli cli;
    private final Template tmpl;
    private final List<String> raws = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    InspectOutput(Cli cli, String format) {
        this.cli = cli;
        this.tmpl = format == null || format.isEmpty() || format.equals("json") ? null
                : Template.parse(format.replace("\\t", "\t").replace("\\n", "\n"));
    }

    /** Adds one object; a template error prints the lines so far and fails the command. */
    void add(byte[] raw) {
        if (tmpl == null) raws.add(new String(raw, StandardCharsets.UTF_8).trim());
        else {
            try {
                out.append(tmpl.execute(Model.parse(raw))).append('\n');
            } catch (TemplateException e) {
                cli.out.print(out);
                throw new Main.CliException("template parsing error: " + e.getMessage());
            }
        }
    }

    /** Prints the output, then fails with {@code errors} (one per line) if there are any. */
    void finish(List<String> errors) {
        if (tmpl == null) out.append(raws.isEmpty() ? "[]" : JsonIndent.indent("[" + String.join(",", raws) + "]")).append('\n');
        cli.out.print(out);
        cli.out.flush();
        if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
    }
}
