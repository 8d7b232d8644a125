package io.berth.cli.format;

import java.util.List;

/**
 * docker's formatter.Context: a format string that is {@code table …} (a header row rendered from
 * the header context, then rows, aligned by the tabwriter), {@code json} (each row as JSON), or a
 * raw template (each row followed by a newline). {@code \t} and {@code \n} escapes become real characters.
 */
public final class Formatter {
    private final boolean table;
    private final Template template;

    public Formatter(String format) {
        String f = format;
        if ("json".equals(f.trim())) f = "{{json .}}";
        table = f.startsWith("table");
        if (table) f = f.substring("table".length());
        f = f.strip();
        f = f.replace("\\t", "\t").replace("\\n", "\n");
        template = Template.parse(f);
    }

    public boolean isTable() { return table; }

    /** Renders the rows; {@code header} is the context the header row is rendered from. */
    public String render(List<?> rows, Object header) {
        StringBuilder sb = new StringBuilder();
        for (Object row : rows) {
            try {
                sb.append(template.execute(row)).append('\n');
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
        }
        if (!table) return sb.toString();
        String head = template.execute(header, true) + "\n";
        return TabWriter.docker().format(head + sb);
    }
}
