package io.berth.engine.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the text of {@code /proc/self/mountinfo} (proc(5)). */
public final class MountInfo {
    private MountInfo() {}

    /** This process's {@code /proc/self/mountinfo}; empty when it cannot be read. */
    public static String self() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The mount points (fifth field) of {@code mountinfo}, in mount order. */
    public static List<Path> targets(String mountinfo) {
        List<Path> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4) out.add(Path.of(unescape(f[4])));
        }
        return out;
    }

    /** A field as the kernel wrote it, with a space, tab, newline or backslash as {@code \ooo}. */
    public static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
