package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one rotated log, named as Docker's json-file driver names them: the current file
 * {@code <log>} and the rotated ones {@code <log>.1} (newest) … {@code <log>.N} (oldest).
 */
public final class LogFiles {
    /** One file of the chain and its file key (device and inode), which survives renames. */
    public record Entry(Path path, Object key) {}

    private LogFiles() {}

    public static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /** The file key of {@code p}, or null if it does not exist. */
    public static Object key(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The existing files oldest first: the rotated ones by falling number, then the current one. */
    public static List<Entry> chain(Path log) throws IOException {
        Path dir = log.toAbsolutePath().getParent();
        String prefix = log.getFileName() + ".";
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.length() > prefix.length() && n.length() < prefix.length() + 9
                        && n.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                    numbers.add(Integer.parseInt(n.substring(prefix.length())));
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        }
        numbers.sort(Comparator.reverseOrder());
        List<Entry> out = new ArrayList<>();
        for (int n : numbers) add(out, rotated(log, n));
        add(out, log);
        return out;
    }

    private static void add(List<Entry> out, Path p) throws IOException {
        Object k = key(p);
        if (k != null) out.add(new Entry(p, k));
    }
}
