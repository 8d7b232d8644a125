package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.Instruction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Which stages a build runs and how its steps are numbered. BuildKit's rule, not the classic builder's: only the
 * target stage (the last one without {@code --target}) and the stages it needs are built — through {@code FROM
 * <stage>}, {@code COPY --from=<stage|index>} and {@code RUN --mount=…,from=<stage>}. Steps are numbered over what is
 * built, in Dockerfile order: the meta ARGs, then per built stage its FROM and its instructions, so {@code Step N/M}
 * never skips a number and M counts only what runs (the classic builder's M counts every stage up to the target).
 */
record StagePlan(List<Dockerfile.Stage> stages, int targetIndex, int totalSteps, Map<Integer, Integer> firstStep,
                 Map<Integer, Set<Integer>> dependencies) {

    /**
     * Plans {@code df} for {@code target} (null or empty: the last stage); {@code expandMeta} expands a FROM or
     * {@code --from} value with the meta ARGs.
     */
    static StagePlan of(Dockerfile df, String target, UnaryOperator<String> expandMeta) {
        List<Dockerfile.Stage> all = df.stages();
        int targetIndex = all.size() - 1;
        if (target != null && !target.isEmpty()) {
            targetIndex = -1;
            for (Dockerfile.Stage s : all) {
                if (target.toLowerCase(Locale.ROOT).equals(s.name())) targetIndex = s.index();
            }
            if (targetIndex < 0) throw new BerthException.InvalidArgument("target stage \"" + target + "\" could not be found");
        }
        Map<Integer, Set<Integer>> deps = new java.util.HashMap<>();
        for (Dockerfile.Stage s : all) deps.put(s.index(), dependencies(s, all, expandMeta));
        Set<Integer> needed = new TreeSet<>();
        if (targetIndex >= 0) collect(targetIndex, deps, needed);
        List<Dockerfile.Stage> built = new ArrayList<>();
        Map<Integer, Integer> first = new java.util.HashMap<>();
        int step = df.metaArgs().size() + 1;
        for (Dockerfile.Stage s : all) {
            if (!needed.contains(s.index())) continue;
            built.add(s);
            first.put(s.index(), step);
            step += 1 + s.instructions().size();
        }
        return new StagePlan(built, targetIndex, step - 1, first, deps);
    }

    private static void collect(int index, Map<Integer, Set<Integer>> deps, Set<Integer> out) {
        if (!out.add(index)) return;
        for (int d : deps.get(index)) collect(d, deps, out);
    }

    /** The earlier stages {@code s} reads from. */
    private static Set<Integer> dependencies(Dockerfile.Stage s, List<Dockerfile.Stage> all, UnaryOperator<String> expandMeta) {
        Set<Integer> out = new LinkedHashSet<>();
        String base = expandMeta.apply(s.base());
        if (!base.chars().allMatch(Character::isDigit)) add(out, stageIndex(base, s.index(), all)); // FROM names, never indexes
        for (Instruction i : s.instructions()) {
            String from = switch (i) {
                case Instruction.Copy c -> c.from();
                default -> null;
            };
            if (from != null) add(out, stageIndex(expandMeta.apply(from), s.index(), all));
            if (i instanceof Instruction.Run r) {
                for (String m : r.mounts()) {
                    String mountFrom = RunMounts.option(m, "from");
                    if (mountFrom != null) add(out, stageIndex(expandMeta.apply(mountFrom), s.index(), all));
                }
            }
        }
        return out;
    }

    private static void add(Set<Integer> out, Integer i) {
        if (i != null) out.add(i);
    }

    /** The index of the stage {@code ref} names (by name, or by index for {@code --from}) before {@code before}. */
    static Integer stageIndex(String ref, int before, List<Dockerfile.Stage> all) {
        if (ref == null) return null;
        String lower = ref.toLowerCase(Locale.ROOT);
        for (Dockerfile.Stage s : all) {
            if (s.index() < before && lower.equals(s.name())) return s.index();
        }
        if (!lower.isEmpty() && lower.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(lower);
            if (i < before) return i;
        }
        return null;
    }
}
