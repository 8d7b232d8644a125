package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --chmod} value of COPY or ADD (BuildKit): octal up to {@code 07777}, or symbolic as chmod(1) takes it
 * ({@code u=rwX,go=rX}, {@code +x}, {@code a-w}; {@code X} grants execute to directories and to files some class may
 * already execute; no class means all). Applied to every file and directory copied.
 */
public final class ChmodSpec {
    private record Clause(int who, char op, int perms, char copyFrom, boolean conditionalX) {}

    private final Integer octal;
    private final List<Clause> clauses;

    private ChmodSpec(Integer octal, List<Clause> clauses) {
        this.octal = octal;
        this.clauses = clauses;
    }

    /** Parses a {@code --chmod} value; null or empty gives null (no change). */
    public static ChmodSpec parse(String spec) {
        if (spec == null || spec.isEmpty()) return null;
        BerthException.InvalidArgument invalid = new BerthException.InvalidArgument(
                "invalid chmod parameter: '" + spec + "'. it should be octal string and between 0 and 07777");
        if (spec.chars().allMatch(c -> c >= '0' && c <= '7')) {
            if (spec.length() > 5 || Integer.parseInt(spec, 8) > 07777) throw invalid;
            return new ChmodSpec(Integer.parseInt(spec, 8), List.of());
        }
        List<Clause> clauses = new ArrayList<>();
        for (String clause : spec.split(",", -1)) {
            int i = 0, who = 0;
            for (; i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0; i++) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
            }
            if (who == 0) who = 07777;
            if (i >= clause.length()) throw invalid;
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                if (op != '+' && op != '-' && op != '=') throw invalid;
                if (i < clause.length() && "ugo".indexOf(clause.charAt(i)) >= 0) {
                    clauses.add(new Clause(who, op, 0, clause.charAt(i++), false));
                    continue;
                }
                int perms = 0;
                boolean x = false;
                for (; i < clause.length() && "rwxXst".indexOf(clause.charAt(i)) >= 0; i++) {
                    switch (clause.charAt(i)) {
                        case 'r' -> perms |= 0444;
                        case 'w' -> perms |= 0222;
                        case 'x' -> perms |= 0111;
                        case 'X' -> x = true;
                        case 's' -> perms |= 06000;
                        default -> perms |= 01000;
                    }
                }
                clauses.add(new Clause(who, op, perms, '\0', x));
            }
        }
        return new ChmodSpec(null, List.copyOf(clauses));
    }

    /** The permission bits (07777) of an entry whose current mode is {@code mode}. */
    public int apply(int mode, boolean dir) {
        if (octal != null) return octal;
        int m = mode & 07777;
        for (Clause c : clauses) {
            int perms = c.perms();
            if (c.copyFrom() != '\0') {
                int bits = switch (c.copyFrom()) {
                    case 'u' -> (m >> 6) & 7;
                    case 'g' -> (m >> 3) & 7;
                    default -> m & 7;
                };
                perms = bits * 0111;
            }
            if (c.conditionalX() && (dir || (m & 0111) != 0)) perms |= 0111;
            perms &= c.who();
            switch (c.op()) {
                case '+' -> m |= perms;
                case '-' -> m &= ~perms;
                default -> m = (m & ~c.who()) | perms;
            }
        }
        return m;
    }
}
