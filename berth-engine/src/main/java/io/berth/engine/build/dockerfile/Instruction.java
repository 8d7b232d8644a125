package io.berth.engine.build.dockerfile;

import java.time.Duration;
import java.util.List;

/**
 * One Dockerfile instruction after parsing (BuildKit's {@code instructions} package, one record per kind). Arguments
 * are as written: variable expansion happens at dispatch. Flags the builder must understand are typed fields (null or
 * empty when absent); a flag an instruction does not take is a parse error.
 */
public sealed interface Instruction {
    Dockerfile.Source source();

    /** The instruction's keyword, upper-case ({@code RUN}, {@code COPY}, …). */
    default String keyword() {
        return switch (this) {
            case Run r -> "RUN";
            case Cmd c -> "CMD";
            case Entrypoint e -> "ENTRYPOINT";
            case Env e -> "ENV";
            case Label l -> "LABEL";
            case Arg a -> "ARG";
            case Expose e -> "EXPOSE";
            case Workdir w -> "WORKDIR";
            case User u -> "USER";
            case Volume v -> "VOLUME";
            case StopSignal s -> "STOPSIGNAL";
            case Shell s -> "SHELL";
            case Maintainer m -> "MAINTAINER";
            case Onbuild o -> "ONBUILD";
            case Healthcheck h -> "HEALTHCHECK";
            case Copy c -> "COPY";
            case Add a -> "ADD";
        };
    }

    /**
     * {@code KEY=value} of ENV, LABEL and ARG, as written: quotes and escapes are still in the text (as BuildKit's
     * parser keeps them), because they decide what expands. The builder gets the final value with
     * {@link ShellLex#processWord} ({@code ENV a="x $b"} → value {@code "x $b"} → {@code x <b's value>}); a legacy
     * {@code ENV K v w} value is the rest of the line, {@code v w}.
     */
    record KeyValue(String key, String value) {}

    /**
     * A here-document: {@code <<EOF} / {@code <<-EOF} ({@code chomp}: leading tabs stripped) / {@code <<"EOF"}
     * ({@code expand} false). {@code content} ends with a newline.
     */
    record Heredoc(String name, String content, boolean expand, boolean chomp) {}

    /**
     * The command of RUN, CMD or ENTRYPOINT. Exec form ({@code ["a","b"]}): {@code prependShell} false and
     * {@code args} the JSON array. Shell form: {@code prependShell} true and {@code args} one element, the command
     * text. {@code heredocs} are those the line opened (BuildKit; RUN only).
     */
    record Command(List<String> args, boolean prependShell, List<Heredoc> heredocs) {}

    /** RUN, with BuildKit's {@code --mount} (raw values), {@code --network} and {@code --security}. */
    record Run(Dockerfile.Source source, Command command, List<String> mounts, String network, String security)
            implements Instruction {}

    record Cmd(Dockerfile.Source source, Command command) implements Instruction {}

    record Entrypoint(Dockerfile.Source source, Command command) implements Instruction {}

    /** ENV: {@code ENV K=v K2=v2} or the legacy {@code ENV K v w}. */
    record Env(Dockerfile.Source source, List<KeyValue> pairs) implements Instruction {}

    record Label(Dockerfile.Source source, List<KeyValue> pairs) implements Instruction {}

    /** ARG: one or more {@code NAME[=default]}; {@code value} null when there is no default. */
    record Arg(Dockerfile.Source source, List<KeyValue> args) implements Instruction {}

    record Expose(Dockerfile.Source source, List<String> ports) implements Instruction {}

    record Workdir(Dockerfile.Source source, String path) implements Instruction {}

    record User(Dockerfile.Source source, String user) implements Instruction {}

    /** VOLUME: JSON array or space-separated paths. */
    record Volume(Dockerfile.Source source, List<String> paths) implements Instruction {}

    record StopSignal(Dockerfile.Source source, String signal) implements Instruction {}

    /** SHELL: always the JSON form. */
    record Shell(Dockerfile.Source source, List<String> shell) implements Instruction {}

    record Maintainer(Dockerfile.Source source, String maintainer) implements Instruction {}

    /** ONBUILD: the trigger instruction's text ({@code expression}), parsed again when an image builds FROM this one. */
    record Onbuild(Dockerfile.Source source, String expression) implements Instruction {}

    /**
     * HEALTHCHECK: {@code none} ({@code HEALTHCHECK NONE}: {@code test} is {@code ["NONE"]}), or {@code test}
     * {@code ["CMD-SHELL", cmd]} / {@code ["CMD", args…]}; durations and retries null when not given.
     */
    record Healthcheck(Dockerfile.Source source, List<String> test, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, Integer retries) implements Instruction {}

    /**
     * COPY {@code sources… dest}, or {@code COPY <<EOF dest} ({@code heredocs}, whose names are then among
     * {@code sources}). Flags: {@code --from}, {@code --chown}, {@code --chmod}, {@code --link}, {@code --parents},
     * {@code --exclude} (repeatable).
     */
    record Copy(Dockerfile.Source source, List<String> sources, String dest, List<Heredoc> heredocs, String from,
                String chown, String chmod, boolean link, boolean parents, List<String> excludes) implements Instruction {}

    /**
     * ADD: as COPY without {@code --from}, plus {@code --checksum}, {@code --keep-git-dir} and {@code --unpack}
     * (null: the default, unpack local archives only).
     */
    record Add(Dockerfile.Source source, List<String> sources, String dest, List<Heredoc> heredocs, String chown,
               String chmod, boolean link, boolean parents, List<String> excludes, String checksum, boolean keepGitDir,
               Boolean unpack) implements Instruction {}
}
