package io.berth.engine.runtime;

import java.util.List;

/**
 * A process to run in a running container. Fields left null (or empty for {@code env}) are taken
 * from the container's own {@code process} in its bundle; {@code env} entries are added to it
 * (a name given here replaces the container's).
 *
 * @param user "uid" or "uid:gid" (numeric), or null
 */
public record ExecSpec(List<String> args, List<String> env, String cwd, String user, boolean tty) {
    public ExecSpec {
        if (args == null || args.isEmpty()) throw new IllegalArgumentException("exec needs a command");
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
    }

    public static ExecSpec of(String... args) {
        return new ExecSpec(List.of(args), List.of(), null, null, false);
    }
}
