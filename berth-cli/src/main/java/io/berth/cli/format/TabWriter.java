package io.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter with the settings docker uses ({@code NewWriter(out, 10, 1, 3, ' ', 0)}):
 * tab-terminated cells are aligned in column blocks; a cell is at least minwidth wide, else its
 * widest text plus padding; the last cell of a line is not aligned. A line with no tab ends the block.
 */
public final class TabWriter {
    private final int minWidth;
    private final int padding;

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    public static TabWriter docker() { return new TabWriter(10, 3); }

    public String format(String text) {
        StringBuilder out = new StringBuilder();
        List<String[]> block = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
            String[] cells = line.split("\t", -1);
            block.add(cells);
            if (nl < 0) {
                flush(block, out, false);
                block.clear();
                break;
            }
            if (cells.length == 1) {
                flush(block, out, true);
                block.clear();
            }
            start = nl + 1;
        }
        if (!block.isEmpty()) flush(block, out, true);
        return out.toString();
    }

    private void flush(List<String[]> lines, StringBuilder out, boolean lastHasNewline) {
        format(lines, out, new ArrayList<>(), 0, lines.size());
        if (!lastHasNewline && !out.isEmpty() && out.charAt(out.length() - 1) == '\n') out.setLength(out.length() - 1);
    }

    private void format(List<String[]> lines, StringBuilder out, List<Integer> widths, int line0, int line1) {
        int column = widths.size();
        for (int t = line0; t < line1; t++) {
            String[] line = lines.get(t);
            if (column >= line.length - 1) continue;
            writeLines(lines, out, widths, line0, t);
            line0 = t;
            int width = minWidth;
            for (; t < line1; t++) {
                String[] l = lines.get(t);
                if (column >= l.length - 1) break;
                int w = width(l[column]) + padding;
                if (w > width) width = w;
            }
            widths.add(width);
            format(lines, out, widths, line0, t);
            widths.removeLast();
            line0 = t;
        }
        writeLines(lines, out, widths, line0, line1);
    }

    private static void writeLines(List<String[]> lines, StringBuilder out, List<Integer> widths, int from, int to) {
        for (int i = from; i < to; i++) {
            String[] cells = lines.get(i);
            for (int j = 0; j < cells.length; j++) {
                out.append(cells[j]);
                if (j < widths.size()) out.append(" ".repeat(Math.max(0, widths.get(j) - width(cells[j]))));
            }
            out.append('\n');
        }
    }

    private static int width(String s) { return s.codePointCount(0, s.length()); }
}
