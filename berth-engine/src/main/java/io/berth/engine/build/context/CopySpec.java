package io.berth.engine.build.context;

import io.berth.engine.build.dockerfile.Instruction;

import java.util.List;

/**
 * A COPY or ADD instruction ready to plan: sources and destination already expanded, the stage's WORKDIR, and the
 * flags. {@code heredocs} are the instruction's here-documents (their names are among {@code sources}, their content
 * expanded as the instruction requires); {@code checksum}, {@code keepGitDir} and {@code unpack} are ADD's (null or
 * false when absent; a null {@code unpack} unpacks local archives only).
 */
public record CopySpec(String keyword, List<String> sources, String dest, String workdir,
                       List<Instruction.Heredoc> heredocs, String chown, String chmod, boolean parents,
                       List<String> excludes, String checksum, boolean keepGitDir, Boolean unpack) {
    public CopySpec {
        sources = List.copyOf(sources);
        heredocs = heredocs == null ? List.of() : List.copyOf(heredocs);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        workdir = workdir == null || workdir.isEmpty() ? "/" : workdir;
    }

    /** A COPY with its flags as parsed and the given expanded sources, destination and chown. */
    public static CopySpec of(Instruction.Copy c, List<String> sources, String dest, String chown, String workdir) {
        return new CopySpec("COPY", sources, dest, workdir, c.heredocs(), chown, c.chmod(), c.parents(), c.excludes(),
                null, false, null);
    }

    /** An ADD with its flags as parsed and the given expanded sources, destination and chown. */
    public static CopySpec of(Instruction.Add a, List<String> sources, String dest, String chown, String workdir) {
        return new CopySpec("ADD", sources, dest, workdir, a.heredocs(), chown, a.chmod(), a.parents(), a.excludes(),
                a.checksum(), a.keepGitDir(), a.unpack());
    }

    boolean isAdd() { return keyword.equals("ADD"); }
}
