package io.berth.engine.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Instruction.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
    /** The instructions of the single stage of {@code FROM scratch} followed by {@code body}. */
    private static List<Instruction> stage(String body) {
        return DockerfileParser.parse("FROM scratch\n" + body).stages().getFirst().instructions();
    }

    private static Instruction only(String body) {
        List<Instruction> all = stage(body);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static void fails(String text, String message) {
        assertThatThrownBy(() -> DockerfileParser.parse(text))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage(message);
    }

    @Test void stagesMetaArgsAndSourcesAsDockerPrintsThem() {
        Dockerfile df = DockerfileParser.parse("""
                ARG BASE=alpine
                ARG V
                FROM ${BASE}:${V} AS Build
                RUN make
                FROM --platform=linux/arm64 scratch
                COPY --from=build /out /
                """);
        assertThat(df.metaArgs()).hasSize(2);
        assertThat(df.metaArgs().getFirst().args()).containsExactly(new KeyValue("BASE", "alpine"));
        assertThat(df.metaArgs().get(1).args()).containsExactly(new KeyValue("V", null));
        assertThat(df.stages()).hasSize(2);
        Dockerfile.Stage build = df.stages().getFirst();
        assertThat(build.index()).isZero();
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.base()).isEqualTo("${BASE}:${V}");
        assertThat(build.platform()).isNull();
        assertThat(build.source()).isEqualTo(new Dockerfile.Source("FROM ${BASE}:${V} AS Build", 3, 3));
        assertThat(build.instructions().getFirst().source()).isEqualTo(new Dockerfile.Source("RUN make", 4, 4));
        Dockerfile.Stage second = df.stages().get(1);
        assertThat(second.index()).isEqualTo(1);
        assertThat(second.name()).isNull();
        assertThat(second.platform()).isEqualTo("linux/arm64");
        assertThat(((Instruction.Copy) second.instructions().getFirst()).from()).isEqualTo("build");
        assertThat(df.escape()).isEqualTo('\\');
    }

    @Test void emptyTextHasNoStages() {
        Dockerfile df = DockerfileParser.parse("");
        assertThat(df.stages()).isEmpty();
        assertThat(df.metaArgs()).isEmpty();
    }

    @Test void onlyCommentsOrBlankLinesIsAFileWithNoInstructions() {
        fails("# just a comment\n\n", "failed to parse Dockerfile: file with no instructions");
        assertThatThrownBy(() -> DockerfileParser.parse("   \n", "sub/Dockerfile.dev"))
                .hasMessage("failed to parse sub/Dockerfile.dev: file with no instructions");
    }

    @Test void continuationsJoinTheLinesAsBuildKitsOriginal() {
        List<Instruction> all = stage("""
                RUN echo hello\\
                  world\\
                  goodnight  \\
                  moon\\
                  light\\
                ning
                RUN echo hello  \\
                  world
                RUN echo hello \\
                goodbye\\
                frog
                RUN echo hi \\
                 \\
                 world \\
                \\
                 good\\
                \\
                night
                RUN a \\
                  b
                """);
        assertThat(all).extracting(i -> ((Instruction.Run) i).command().args().getFirst()).containsExactly(
                "echo hello  world  goodnight    moon  lightning",
                "echo hello    world",
                "echo hello goodbyefrog",
                "echo hi   world  goodnight",
                "a   b");
        assertThat(all.getLast().source()).isEqualTo(new Dockerfile.Source("RUN a   b", 20, 21));
        assertThat(all.get(3).source().startLine()).isEqualTo(13);
        assertThat(all.get(3).source().endLine()).isEqualTo(19);
    }

    @Test void commentsAndEmptyLinesInsideAContinuationAreSkipped() {
        List<Instruction> all = stage("""
                RUN echo hello \\
                # this is a comment

                # this is a comment with a blank line surrounding it

                this is some more useful stuff
                RUN foo \\

                bar \\

                baz
                """);
        assertThat(((Instruction.Run) all.getFirst()).command().args())
                .containsExactly("echo hello this is some more useful stuff");
        assertThat(all.getFirst().source()).isEqualTo(
                new Dockerfile.Source("RUN echo hello this is some more useful stuff", 2, 7));
        assertThat(((Instruction.Run) all.get(1)).command().args()).containsExactly("foo bar baz");
    }

    @Test void aContinuationAtTheEndOfTheFileEndsTheInstruction() {
        assertThat(((Instruction.Run) only("RUN something \\")).command().args()).containsExactly("something");
    }

    @Test void escapedEscapeAtTheEndIsNotAContinuation() {
        List<Instruction> all = stage("""
                ENV B another\\\\path
                ENV C trailing\\\\backslash\\\\
                ENV D This should not be appended to C
                ENV E hello\\
                \\
                world
                ENV F hello\\
                 \\
                world
                """);
        assertThat(all).extracting(i -> ((Instruction.Env) i).pairs().getFirst()).containsExactly(
                new KeyValue("B", "another\\\\path"),
                new KeyValue("C", "trailing\\\\backslash\\\\"),
                new KeyValue("D", "This should not be appended to C"),
                new KeyValue("E", "helloworld"),
                new KeyValue("F", "hello world"));
    }

    @Test void directivesAtTheTopAreReadCaseInsensitivelyWithSpaces() {
        Dockerfile df = DockerfileParser.parse("""
                # syntax = docker/dockerfile:1.7
                #ESCAPE=`
                #  check=skip=all;error=true
                FROM windows
                RUN dir c:\\ `
                  && echo done
                """);
        assertThat(df.directives()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "syntax", "docker/dockerfile:1.7", "escape", "`", "check", "skip=all;error=true"));
        assertThat(df.escape()).isEqualTo('`');
        Instruction.Run run = (Instruction.Run) df.stages().getFirst().instructions().getFirst();
        assertThat(run.command().args()).containsExactly("dir c:\\   && echo done");
    }

    @Test void aDirectiveAfterACommentBlankLineOrInstructionIsAComment() {
        Dockerfile afterComment = DockerfileParser.parse("""
                # Comment here.
                # escape = `

                FROM image
                ENV GOPATH \\
                \\go
                """);
        assertThat(afterComment.directives()).isEmpty();
        assertThat(((Instruction.Env) afterComment.stages().getFirst().instructions().getFirst()).pairs())
                .containsExactly(new KeyValue("GOPATH", "\\go"));
        assertThat(DockerfileParser.parse("\n# escape=`\nFROM a\n").directives()).isEmpty();
        assertThat(DockerfileParser.parse("FROM a\n# syntax=x\n").directives()).isEmpty();
        assertThat(DockerfileParser.parse("# syntax=x\n# unknown=y\n# escape=`\nFROM a\n").directives())
                .containsExactly(Map.entry("syntax", "x"));
    }

    @Test void directiveErrors() {
        fails("# escape=x\nFROM a\n", "failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\");
        fails("# syntax=a\n# syntax=b\nFROM a\n", "failed to parse Dockerfile: only one syntax parser directive can be used");
    }

    @Test void aByteOrderMarkIsIgnored() {
        Dockerfile df = DockerfileParser.parse("\uFEFF# escape=`\nFROM a\n");
        assertThat(df.escape()).isEqualTo('`');
    }

    @Test void crlfLineEndingsAreTrimmed() {
        Instruction.Run run = (Instruction.Run) only("RUN a \\\r\n  b\r\n");
        assertThat(run.command().args()).containsExactly("a   b");
    }

    @Test void keywordsAreCaseInsensitive() {
        Dockerfile df = DockerfileParser.parse("from alpine as Base\nrun echo\nCopy a b\n");
        assertThat(df.stages().getFirst().name()).isEqualTo("base");
        assertThat(df.stages().getFirst().instructions()).extracting(Instruction::keyword)
                .containsExactly("RUN", "COPY");
    }

    @Test void execAndShellForms() {
        List<Instruction> all = stage("""
                RUN ["echo", "a b"]
                RUN echo "a b"
                CMD [ "a", "b" ]
                CMD []
                CMD [""]
                ENTRYPOINT ["sh", "-c"]
                ENTRYPOINT exec top -b
                CMD ["abc 123", "♥", "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]
                """);
        Instruction.Command exec = ((Instruction.Run) all.getFirst()).command();
        assertThat(exec.args()).containsExactly("echo", "a b");
        assertThat(exec.prependShell()).isFalse();
        Instruction.Command shell = ((Instruction.Run) all.get(1)).command();
        assertThat(shell.args()).containsExactly("echo \"a b\"");
        assertThat(shell.prependShell()).isTrue();
        assertThat(((Instruction.Cmd) all.get(2)).command().args()).containsExactly("a", "b");
        assertThat(((Instruction.Cmd) all.get(3)).command().args()).isEmpty();
        assertThat(((Instruction.Cmd) all.get(3)).command().prependShell()).isFalse();
        assertThat(((Instruction.Cmd) all.get(4)).command().args()).containsExactly("");
        assertThat(((Instruction.Entrypoint) all.get(5)).command().args()).containsExactly("sh", "-c");
        assertThat(((Instruction.Entrypoint) all.get(6)).command().args()).containsExactly("exec top -b");
        assertThat(((Instruction.Cmd) all.get(7)).command().args())
                .containsExactly("abc 123", "♥", "\" \\ / \b \f \n \r \t \u0000");
    }

    @Test void malformedJsonFallsBackToShellForm() {
        List<Instruction> all = stage("""
                CMD ['echo', 'single quotes']
                CMD ["echo", "unterminated]
                CMD ["echo", "unterminated bracket"
                CMD ["echo", "x"] trailing
                RUN ["echo", "{\\"json\\": \\"inside\\"}" ]
                """);
        assertThat(all.subList(0, 4)).extracting(i -> ((Instruction.Cmd) i).command().prependShell())
                .containsOnly(true);
        assertThat(((Instruction.Cmd) all.getFirst()).command().args())
                .containsExactly("['echo', 'single quotes']");
        assertThat(((Instruction.Run) all.get(4)).command().args()).containsExactly("echo", "{\"json\": \"inside\"}");
    }

    @Test void aJsonArrayOfNonStringsIsAnError() {
        fails("FROM a\nCMD [\"a\", 1]\n",
                "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only");
        fails("FROM a\nCMD [[\"nested\"]]\n",
                "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only");
    }

    @Test void envBothFormsKeepQuotesForTheExpansion() {
        List<Instruction> all = stage("""
                ENV name value
                ENV name value with  spaces
                ENV name=value name2=value2
                ENV name="value value1"
                ENV name=value\\ value2
                ENV name='value"double quote"value2'
                ENV name="a\\"b"
                ENV name='a\\'b''
                ENV name=
                ENV name=value \\
                    name1=value1 \\
                    name2="value2a \\
                           value2b" \\
                	name4="value4a\\\\nvalue4b"
                """);
        assertThat(all).extracting(i -> ((Instruction.Env) i).pairs()).containsExactly(
                List.of(new KeyValue("name", "value")),
                List.of(new KeyValue("name", "value with  spaces")),
                List.of(new KeyValue("name", "value"), new KeyValue("name2", "value2")),
                List.of(new KeyValue("name", "\"value value1\"")),
                List.of(new KeyValue("name", "value\\ value2")),
                List.of(new KeyValue("name", "'value\"double quote\"value2'")),
                List.of(new KeyValue("name", "\"a\\\"b\"")),
                List.of(new KeyValue("name", "'a\\'b''")),
                List.of(new KeyValue("name", "")),
                List.of(new KeyValue("name", "value"), new KeyValue("name1", "value1"),
                        new KeyValue("name2", "\"value2a            value2b\""),
                        new KeyValue("name4", "\"value4a\\\\nvalue4b\"")));
        ShellLex lex = new ShellLex('\\');
        assertThat(lex.processWord(((Instruction.Env) all.get(3)).pairs().getFirst().value(), Map.of()))
                .isEqualTo("value value1");
    }

    @Test void envAndLabelErrors() {
        fails("FROM a\nENV name\n", "failed to parse Dockerfile: ENV must have two arguments");
        fails("FROM a\nLABEL a=b c\n",
                "failed to parse Dockerfile: Syntax error - can't find = in \"c\". Must be of the form: name=value");
        fails("FROM a\nENV =value\n", "dockerfile parse error on line 2: ENV names can not be blank");
        fails("FROM a\nENV\n", "dockerfile parse error on line 2: ENV requires at least one argument");
        fails("FROM a\nLABEL\n", "dockerfile parse error on line 2: LABEL requires at least one argument");
    }

    @Test void labelsAndMaintainer() {
        List<Instruction> all = stage("""
                LABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\"
                LABEL "com.example.vendor"="ACME Inc" version=1.0
                MAINTAINER Jane Doe <jane@example.com>
                """);
        assertThat(((Instruction.Label) all.getFirst()).pairs())
                .containsExactly(new KeyValue("maintainer", "Erik \\\\Hollensbe <erik@hollensbe.org>\\\""));
        assertThat(((Instruction.Label) all.get(1)).pairs())
                .containsExactly(new KeyValue("\"com.example.vendor\"", "\"ACME Inc\""), new KeyValue("version", "1.0"));
        assertThat(((Instruction.Maintainer) all.get(2)).maintainer()).isEqualTo("Jane Doe <jane@example.com>");
    }

    @Test void argForms() {
        Instruction.Arg arg = (Instruction.Arg) only("ARG A B=2 C=\"x y\" D=");
        assertThat(arg.args()).containsExactly(new KeyValue("A", null), new KeyValue("B", "2"),
                new KeyValue("C", "\"x y\""), new KeyValue("D", ""));
        fails("FROM a\nARG =x\n", "dockerfile parse error on line 2: ARG names can not be blank");
        fails("FROM a\nARG\n", "dockerfile parse error on line 2: ARG requires at least one argument");
    }

    @Test void simpleInstructions() {
        List<Instruction> all = stage("""
                EXPOSE 8080/tcp 80 443/udp
                WORKDIR /app dir
                USER app:app
                STOPSIGNAL SIGKILL
                VOLUME /a /b
                VOLUME ["/c", "/d"]
                SHELL ["powershell", "-command"]
                """);
        assertThat(((Instruction.Expose) all.getFirst()).ports()).containsExactly("443/udp", "80", "8080/tcp");
        assertThat(((Instruction.Workdir) all.get(1)).path()).isEqualTo("/app dir");
        assertThat(((Instruction.User) all.get(2)).user()).isEqualTo("app:app");
        assertThat(((Instruction.StopSignal) all.get(3)).signal()).isEqualTo("SIGKILL");
        assertThat(((Instruction.Volume) all.get(4)).paths()).containsExactly("/a", "/b");
        assertThat(((Instruction.Volume) all.get(5)).paths()).containsExactly("/c", "/d");
        assertThat(((Instruction.Shell) all.get(6)).shell()).containsExactly("powershell", "-command");
    }

    @Test void argumentCountErrors() {
        fails("FROM a\nWORKDIR\n", "dockerfile parse error on line 2: WORKDIR requires exactly one argument");
        fails("FROM a\nUSER\n", "dockerfile parse error on line 2: USER requires exactly one argument");
        fails("FROM a\nSTOPSIGNAL\n", "dockerfile parse error on line 2: STOPSIGNAL requires exactly one argument");
        fails("FROM a\nMAINTAINER\n", "dockerfile parse error on line 2: MAINTAINER requires exactly one argument");
        fails("FROM a\nEXPOSE\n", "dockerfile parse error on line 2: EXPOSE requires at least one argument");
        fails("FROM a\nVOLUME\n", "dockerfile parse error on line 2: VOLUME requires at least one argument");
        fails("FROM a\nVOLUME [\"\"]\n",
                "dockerfile parse error on line 2: VOLUME specified can not be an empty string");
        fails("FROM a\nSHELL\n", "dockerfile parse error on line 2: SHELL requires at least one argument");
        fails("FROM a\nSHELL []\n", "dockerfile parse error on line 2: SHELL requires at least one argument");
        fails("FROM a\nSHELL powershell -command\n",
                "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form");
        fails("FROM a\nCOPY onlyone\n", "dockerfile parse error on line 2: COPY requires at least two arguments,"
                + " but only one was provided. Destination could not be determined");
        fails("FROM a\nADD onlyone\n", "dockerfile parse error on line 2: ADD requires at least two arguments,"
                + " but only one was provided. Destination could not be determined");
    }

    @Test void fromErrors() {
        fails("FROM\n", "dockerfile parse error on line 1: FROM requires either one or three arguments");
        fails("FROM a b\n", "dockerfile parse error on line 1: FROM requires either one or three arguments");
        fails("FROM a AS\n", "dockerfile parse error on line 1: FROM requires either one or three arguments");
        fails("FROM a AS 1st\n", "dockerfile parse error on line 1: invalid name for build stage: \"1st\","
                + " name can't start with a number or contain symbols");
        fails("FROM a AS b$c\n", "dockerfile parse error on line 1: invalid name for build stage: \"b$c\","
                + " name can't start with a number or contain symbols");
        fails("FROM --platform a\n", "dockerfile parse error on line 1: missing a value on flag: --platform");
        fails("FROM --platform linux a\n", "dockerfile parse error on line 1: FROM requires either one or three arguments");
        assertThat(DockerfileParser.parse("FROM a AS My-Stage_1.x\n").stages().getFirst().name())
                .isEqualTo("my-stage_1.x");
    }

    @Test void unknownInstructionsAndSuggestions() {
        fails("FROM a\nFOOBAR x\n", "dockerfile parse error on line 2: unknown instruction: FOOBAR");
        fails("FROM a\nRUNN x\n", "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)");
        fails("FROM a\n\ncopyy a b\n",
                "dockerfile parse error on line 3: unknown instruction: copyy (did you mean copy?)");
    }

    @Test void instructionsBeforeTheFirstFromOtherThanArg() {
        fails("RUN echo\nFROM a\n", "no build stage in current context");
        fails("ARG A\nENV B=c\nFROM a\n", "no build stage in current context");
    }

    @Test void theFirstPassFailsBeforeTheSecond() {
        fails("FROM a\nFOOBAR x\nENV name\n", "failed to parse Dockerfile: ENV must have two arguments");
    }

    @Test void flagsOfCopyAndAdd() {
        List<Instruction> all = stage("""
                COPY --from=build --chown=1:2 --chmod=0755 --link --parents --exclude=*.md --exclude=tmp a b /dst/
                COPY foo /tmp/
                COPY --link=false -- foo /tmp/
                ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false --chown=app https://x/y.tar /
                ADD --unpack a /
                ADD ["with space", "/dst dir"]
                """);
        Instruction.Copy copy = (Instruction.Copy) all.getFirst();
        assertThat(copy.sources()).containsExactly("a", "b");
        assertThat(copy.dest()).isEqualTo("/dst/");
        assertThat(copy.from()).isEqualTo("build");
        assertThat(copy.chown()).isEqualTo("1:2");
        assertThat(copy.chmod()).isEqualTo("0755");
        assertThat(copy.link()).isTrue();
        assertThat(copy.parents()).isTrue();
        assertThat(copy.excludes()).containsExactly("*.md", "tmp");
        assertThat(copy.heredocs()).isEmpty();
        Instruction.Copy plain = (Instruction.Copy) all.get(1);
        assertThat(plain.from()).isNull();
        assertThat(plain.chown()).isNull();
        assertThat(plain.link()).isFalse();
        assertThat(plain.excludes()).isEmpty();
        assertThat(((Instruction.Copy) all.get(2)).link()).isFalse();
        Instruction.Add add = (Instruction.Add) all.get(3);
        assertThat(add.checksum()).isEqualTo("sha256:abc");
        assertThat(add.keepGitDir()).isTrue();
        assertThat(add.unpack()).isFalse();
        assertThat(add.chown()).isEqualTo("app");
        assertThat(add.sources()).containsExactly("https://x/y.tar");
        assertThat(((Instruction.Add) all.get(4)).unpack()).isTrue();
        assertThat(((Instruction.Add) all.get(4)).checksum()).isNull();
        Instruction.Add json = (Instruction.Add) all.get(5);
        assertThat(json.sources()).containsExactly("with space");
        assertThat(json.dest()).isEqualTo("/dst dir");
        assertThat(json.unpack()).isNull();
    }

    @Test void flagErrorsCarryBuildKitsMessages() {
        fails("FROM a\nCOPY --user=me foo /tmp/\n", "dockerfile parse error on line 2: unknown flag: --user");
        fails("FROM a\nCOPY --form=x foo /tmp/\n",
                "dockerfile parse error on line 2: unknown flag: --form (did you mean from?)");
        fails("FROM a\nADD --from=x foo /tmp/\n",
                "dockerfile parse error on line 2: unknown flag: --from");
        fails("FROM a\nADD --parents foo /tmp/\n", "dockerfile parse error on line 2: unknown flag: --parents");
        fails("FROM a\nCOPY --chown=a --chown=b foo /tmp/\n",
                "dockerfile parse error on line 2: duplicate flag specified: --chown");
        fails("FROM a\nCOPY --chown foo /tmp/\n", "dockerfile parse error on line 2: missing a value on flag: --chown");
        fails("FROM a\nCOPY --link= foo /tmp/\n", "dockerfile parse error on line 2: missing a value on flag: --link");
        fails("FROM a\nCOPY --link=maybe foo /tmp/\n",
                "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe");
        fails("FROM a\nENV --x=1 a=b\n", "dockerfile parse error on line 2: unknown flag: --x");
        fails("FROM a\nCMD --doit [\"a\"]\n", "dockerfile parse error on line 2: unknown flag: --doit");
        fails("FROM a\nWORKDIR --x /a\n", "dockerfile parse error on line 2: unknown flag: --x");
    }

    @Test void flagValuesMayBeQuoted() {
        Instruction.Copy copy = (Instruction.Copy) only("COPY --chown=\"a b\" --exclude='*.md' x /y\n");
        assertThat(copy.chown()).isEqualTo("a b");
        assertThat(copy.excludes()).containsExactly("*.md");
    }

    @Test void runFlags() {
        Instruction.Run run = (Instruction.Run) only(
                "RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok --network=none"
                        + " --security=insecure pip install x\n");
        assertThat(run.mounts()).containsExactly("type=cache,target=/root/.cache", "type=secret,id=tok");
        assertThat(run.network()).isEqualTo("none");
        assertThat(run.security()).isEqualTo("insecure");
        assertThat(run.command().args()).containsExactly("pip install x");
        Instruction.Run bare = (Instruction.Run) only("RUN true\n");
        assertThat(bare.mounts()).isEmpty();
        assertThat(bare.network()).isNull();
        assertThat(bare.security()).isNull();
        fails("FROM a\nRUN --network=bridge true\n", "dockerfile parse error on line 2: invalid network mode \"bridge\"");
        fails("FROM a\nRUN --security=root true\n", "dockerfile parse error on line 2: security \"root\" is not valid");
        fails("FROM a\nRUN --mount true\n", "dockerfile parse error on line 2: missing a value on flag: --mount");
    }

    @Test void healthcheckForms() {
        List<Instruction> all = stage("""
                HEALTHCHECK NONE
                HEALTHCHECK --interval=5s --timeout=3s --retries=3 \\
                  CMD /app/check.sh --quiet
                HEALTHCHECK   CMD   a b
                HEALTHCHECK --timeout=1m30s --start-period=500ms --start-interval=1.5s CMD ["foo", "bar"]
                HEALTHCHECK --interval=0s --retries=0 cmd ["foo"]
                """);
        Instruction.Healthcheck none = (Instruction.Healthcheck) all.getFirst();
        assertThat(none.test()).containsExactly("NONE");
        assertThat(none.interval()).isNull();
        Instruction.Healthcheck shell = (Instruction.Healthcheck) all.get(1);
        assertThat(shell.test()).containsExactly("CMD-SHELL", "/app/check.sh --quiet");
        assertThat(shell.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(shell.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(shell.retries()).isEqualTo(3);
        assertThat(shell.startPeriod()).isNull();
        assertThat(shell.source().text()).isEqualTo(
                "HEALTHCHECK --interval=5s --timeout=3s --retries=3   CMD /app/check.sh --quiet");
        assertThat(((Instruction.Healthcheck) all.get(2)).test()).containsExactly("CMD-SHELL", "a b");
        Instruction.Healthcheck exec = (Instruction.Healthcheck) all.get(3);
        assertThat(exec.test()).containsExactly("CMD", "foo", "bar");
        assertThat(exec.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(exec.startPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(exec.startInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(exec.retries()).isNull();
        Instruction.Healthcheck zero = (Instruction.Healthcheck) all.get(4);
        assertThat(zero.interval()).isEqualTo(Duration.ZERO);
        assertThat(zero.retries()).isZero();
        assertThat(zero.test()).containsExactly("CMD", "foo");
    }

    @Test void healthcheckDurationsAreGoDurations() {
        Instruction.Healthcheck h = (Instruction.Healthcheck) only(
                "HEALTHCHECK --interval=1h2m3.5s --timeout=.5s --start-period=5.s --start-interval=1ms CMD x\n");
        assertThat(h.interval()).isEqualTo(Duration.ofHours(1).plusMinutes(2).plusMillis(3500));
        assertThat(h.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(1));
        fails("FROM a\nHEALTHCHECK --interval=-1s CMD x\n",
                "dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms");
        fails("FROM a\nHEALTHCHECK --interval=1..5s CMD x\n",
                "dockerfile parse error on line 2: time: missing unit in duration \"1..5s\"");
        fails("FROM a\nHEALTHCHECK --interval=.s CMD x\n",
                "dockerfile parse error on line 2: time: invalid duration \".s\"");
    }

    @Test void healthcheckErrors() {
        fails("FROM a\nHEALTHCHECK\n", "dockerfile parse error on line 2: HEALTHCHECK requires at least one argument");
        fails("FROM a\nHEALTHCHECK NONE x\n", "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments");
        fails("FROM a\nHEALTHCHECK CMD\n", "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD");
        fails("FROM a\nHEALTHCHECK CONNECT TCP 7000\n",
                "dockerfile parse error on line 2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)");
        fails("FROM a\nHEALTHCHECK --interval=10 CMD x\n",
                "dockerfile parse error on line 2: time: missing unit in duration \"10\"");
        fails("FROM a\nHEALTHCHECK --interval=abc CMD x\n",
                "dockerfile parse error on line 2: time: invalid duration \"abc\"");
        fails("FROM a\nHEALTHCHECK --interval=3d CMD x\n",
                "dockerfile parse error on line 2: time: unknown unit \"d\" in duration \"3d\"");
        fails("FROM a\nHEALTHCHECK --timeout=10us CMD x\n",
                "dockerfile parse error on line 2: Interval \"timeout\" cannot be less than 1ms");
        fails("FROM a\nHEALTHCHECK --retries=-1 CMD x\n",
                "dockerfile parse error on line 2: --retries cannot be negative (-1)");
        fails("FROM a\nHEALTHCHECK --retries=x CMD x\n",
                "dockerfile parse error on line 2: strconv.ParseInt: parsing \"x\": invalid syntax");
        fails("FROM a\nHEALTHCHECK --port=1 CMD x\n", "dockerfile parse error on line 2: unknown flag: --port");
    }

    @Test void onbuildKeepsTheTriggerText() {
        List<Instruction> all = stage("""
                ONBUILD RUN echo "built from me"
                onbuild   COPY . /app
                """);
        assertThat(((Instruction.Onbuild) all.getFirst()).expression()).isEqualTo("RUN echo \"built from me\"");
        assertThat(((Instruction.Onbuild) all.get(1)).expression()).isEqualTo("COPY . /app");
        assertThat(all.get(1).source().text()).isEqualTo("onbuild   COPY . /app");
    }

    @Test void onbuildErrors() {
        fails("FROM a\nONBUILD\n", "dockerfile parse error on line 2: ONBUILD requires at least one argument");
        fails("FROM a\nONBUILD ONBUILD RUN x\n",
                "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        fails("FROM a\nONBUILD from b\n", "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger");
        fails("FROM a\nONBUILD MAINTAINER me\n",
                "dockerfile parse error on line 2: MAINTAINER isn't allowed as an ONBUILD trigger");
    }

    @Test void escapesStayInTheTextForTheBuilder() {
        List<Instruction> all = stage("""
                RUN apt-get \\update && \\
                  apt-get \\"install znc -y
                ADD \\conf\\\\" /.znc
                CMD [ "\\/usr\\\\\\"/bin/znc", "-f", "-r" ]
                """);
        assertThat(((Instruction.Run) all.getFirst()).command().args())
                .containsExactly("apt-get \\update &&   apt-get \\\"install znc -y");
        assertThat(((Instruction.Add) all.get(1)).sources()).containsExactly("\\conf\\\\\"");
        assertThat(((Instruction.Cmd) all.get(2)).command().args()).containsExactly("/usr\\\"/bin/znc", "-f", "-r");
    }

    @Test void doubleDashEndsTheFlags() {
        Instruction.Copy copy = (Instruction.Copy) only("COPY -- --weird-name /tmp/\n");
        assertThat(copy.sources()).containsExactly("--weird-name");
    }
}
