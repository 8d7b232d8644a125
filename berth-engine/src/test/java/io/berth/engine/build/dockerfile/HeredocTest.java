package io.berth.engine.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Instruction.Heredoc;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeredocTest {
    private static List<Instruction> stage(String body) {
        return DockerfileParser.parse("FROM alpine\n" + body).stages().getFirst().instructions();
    }

    private static List<Heredoc> runDocs(String body) {
        return ((Instruction.Run) stage(body).getFirst()).command().heredocs();
    }

    @Test void runWithOneHeredocKeepsTheLineAndReadsTheBody() {
        List<Instruction> all = stage("""
                RUN <<EOF
                echo hello
                echo world
                EOF
                RUN echo after
                """);
        Instruction.Run run = (Instruction.Run) all.getFirst();
        assertThat(run.command().args()).containsExactly("<<EOF");
        assertThat(run.command().prependShell()).isTrue();
        assertThat(run.command().heredocs()).containsExactly(
                new Heredoc("EOF", "echo hello\necho world\n", true, false));
        assertThat(run.source()).isEqualTo(new Dockerfile.Source("RUN <<EOF", 2, 5));
        assertThat(all.get(1).source()).isEqualTo(new Dockerfile.Source("RUN echo after", 6, 6));
    }

    @Test void emptyBodiesAndFileDescriptors() {
        assertThat(runDocs("RUN <<EMPTY\nEMPTY\n")).containsExactly(new Heredoc("EMPTY", "", true, false));
        assertThat(runDocs("RUN 3<<EMPTY2\nEMPTY2\n")).containsExactly(new Heredoc("EMPTY2", "", true, false));
    }

    @Test void aQuotedHeredocWordIsNotAHeredoc() {
        assertThat(runDocs("RUN \"<<NOHEREDOC\"\n")).isEmpty();
    }

    @Test void execFormNeverOpensHeredocs() {
        List<Instruction> all = stage("RUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n");
        assertThat(all).extracting(i -> ((Instruction.Run) i).command().heredocs()).containsOnly(List.of());
        assertThat(((Instruction.Run) all.get(1)).command().args()).containsExactly("<<EOF");
    }

    @Test void onlyRunCopyAndAddOpenHeredocs() {
        assertThatThrownBy(() -> stage("USER <<INVALID\nINVALID\n"))
                .hasMessage("dockerfile parse error on line 3: unknown instruction: INVALID");
        List<Instruction> all = stage("USER <<INVALID\nRUN true\n");
        assertThat(all).hasSize(2);
        assertThat(((Instruction.User) all.getFirst()).user()).isEqualTo("<<INVALID");
    }

    @Test void tabsAreKeptWithoutDashAndStrippedWithIt() {
        assertThat(runDocs("RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n"))
                .containsExactly(new Heredoc("INDENT", "\tfoo\n\tbar\n", true, false));
        assertThat(runDocs("RUN <<-UNINDENT\n\tbaz\n\t\tquux\nUNINDENT\n"))
                .containsExactly(new Heredoc("UNINDENT", "baz\nquux\n", true, true));
        assertThat(runDocs("RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n"))
                .containsExactly(new Heredoc("UNINDENT2", "baz\nquux\n", true, true));
    }

    @Test void anIndentedTerminatorWithoutDashIsBodyText() {
        assertThatThrownBy(() -> stage("RUN <<EOF\necho\n\tEOF\n"))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("failed to parse Dockerfile: unterminated heredoc");
    }

    @Test void quotingAnyPartOfTheWordDisablesExpansion() {
        assertThat(runDocs("RUN <<-EXPAND\n\texpand $NAME\nEXPAND\n"))
                .containsExactly(new Heredoc("EXPAND", "expand $NAME\n", true, true));
        assertThat(runDocs("RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n"))
                .containsExactly(new Heredoc("NOEXPAND", "don't expand $NAME\n", false, true));
        assertThat(runDocs("RUN <<\"EOF\"\n$X\nEOF\n")).containsExactly(new Heredoc("EOF", "$X\n", false, false));
        assertThat(runDocs("RUN <<eo'f'\necho foo\neof\n")).containsExactly(new Heredoc("eof", "echo foo\n", false, false));
        assertThat(runDocs("RUN <<eo\\'f\necho foo\neo'f\n"))
                .containsExactly(new Heredoc("eo'f", "echo foo\n", true, false));
        assertThat(runDocs("RUN <<'e'o\\'f\necho foo\neo'f\n"))
                .containsExactly(new Heredoc("eo'f", "echo foo\n", false, false));
        assertThat(runDocs("RUN <<'one two'\necho bar\none two\n"))
                .containsExactly(new Heredoc("one two", "echo bar\n", false, false));
        assertThat(runDocs("RUN <<$EOF\n$EOF\n")).containsExactly(new Heredoc("$EOF", "", true, false));
    }

    @Test void spacesAfterTheOperatorAndRedirections() {
        assertThat(runDocs("RUN <<  EOF\nEOF\n")).containsExactly(new Heredoc("EOF", "", true, false));
        Instruction.Run run = (Instruction.Run) stage("RUN <<  EOF  > foo\nbody\nEOF\n").getFirst();
        assertThat(run.command().heredocs()).containsExactly(new Heredoc("EOF", "body\n", true, false));
        assertThat(run.command().args()).containsExactly("<<  EOF  > foo");
    }

    @Test void commentsAndBlankLinesInsideTheBodyAreContent() {
        assertThat(runDocs("RUN <<COMMENT\n# internal comment\n\necho foo bar # trailing\nCOMMENT\n"))
                .containsExactly(new Heredoc("COMMENT", "# internal comment\n\necho foo bar # trailing\n", true,
                        false));
    }

    @Test void bodyLinesEndingWithTheEscapeAreNotJoined() {
        assertThat(runDocs("RUN <<EOF\necho a \\\n  b\nEOF\n"))
                .containsExactly(new Heredoc("EOF", "echo a \\\n  b\n", true, false));
    }

    @Test void aCommandWithAHeredocKeepsTheShellFormText() {
        Instruction.Run run = (Instruction.Run) stage("RUN python3 <<COMPLEX\nprint('hello world')\nCOMPLEX\n")
                .getFirst();
        assertThat(run.command().args()).containsExactly("python3 <<COMPLEX");
        assertThat(run.command().heredocs())
                .containsExactly(new Heredoc("COMPLEX", "print('hello world')\n", true, false));
    }

    @Test void severalHeredocsOnOneLineAreReadInOrder() {
        Instruction.Run run = (Instruction.Run) stage("""
                RUN <<A bash && <<B sh
                echo a
                A
                echo b
                B
                """).getFirst();
        assertThat(run.command().heredocs()).containsExactly(new Heredoc("A", "echo a\n", true, false),
                new Heredoc("B", "echo b\n", true, false));
        assertThat(run.source().endLine()).isEqualTo(6);
    }

    @Test void runFlagsBeforeTheHeredoc() {
        Instruction.Run run = (Instruction.Run) stage("RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n")
                .getFirst();
        assertThat(run.mounts()).containsExactly("type=cache,target=/foo");
        assertThat(run.command().heredocs()).containsExactly(new Heredoc("MOUNT", "echo hello\n", true, false));
    }

    @Test void copyHeredocsAreSourcesByName() {
        List<Instruction> all = stage("""
                COPY <<FILE1 <<FILE2 /dest
                content 1
                FILE1
                content 2
                FILE2
                COPY <<EOF /quotes
                "foo"
                'bar'
                EOF
                COPY <<X <<Y /dest
                Y
                X
                X
                Y
                COPY --chmod=0755 <<-file.sh real.txt /dest/
                \t#!/bin/sh
                file.sh
                """);
        Instruction.Copy two = (Instruction.Copy) all.getFirst();
        assertThat(two.sources()).containsExactly("FILE1", "FILE2");
        assertThat(two.dest()).isEqualTo("/dest");
        assertThat(two.heredocs()).containsExactly(new Heredoc("FILE1", "content 1\n", true, false),
                new Heredoc("FILE2", "content 2\n", true, false));
        assertThat(((Instruction.Copy) all.get(1)).heredocs())
                .containsExactly(new Heredoc("EOF", "\"foo\"\n'bar'\n", true, false));
        assertThat(((Instruction.Copy) all.get(2)).heredocs()).containsExactly(
                new Heredoc("X", "Y\n", true, false), new Heredoc("Y", "X\n", true, false));
        Instruction.Copy mixed = (Instruction.Copy) all.get(3);
        assertThat(mixed.sources()).containsExactly("file.sh", "real.txt");
        assertThat(mixed.heredocs()).containsExactly(new Heredoc("file.sh", "#!/bin/sh\n", true, true));
        assertThat(mixed.chmod()).isEqualTo("0755");
        assertThat(mixed.source()).isEqualTo(new Dockerfile.Source("COPY --chmod=0755 <<-file.sh real.txt /dest/",
                16, 18));
    }

    @Test void addTakesHeredocsToo() {
        Instruction.Add add = (Instruction.Add) stage("ADD <<EOF /etc/motd\nwelcome\nEOF\n").getFirst();
        assertThat(add.sources()).containsExactly("EOF");
        assertThat(add.heredocs()).containsExactly(new Heredoc("EOF", "welcome\n", true, false));
    }

    @Test void aHeredocCannotBeTheDestination() {
        assertThatThrownBy(() -> stage("COPY a <<EOF\nx\nEOF\n"))
                .hasMessage("dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination");
    }

    @Test void anUnterminatedHeredocFailsTheFirstPass() {
        assertThatThrownBy(() -> stage("RUN <<EOF\necho hello\n"))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("failed to parse Dockerfile: unterminated heredoc");
        assertThatThrownBy(() -> stage("RUN <<A <<B\nA\nbody\n"))
                .hasMessage("failed to parse Dockerfile: unterminated heredoc");
    }

    @Test void onbuildCarriesItsTriggersHeredocs() {
        Instruction.Onbuild onbuild = (Instruction.Onbuild) stage("ONBUILD RUN <<EOF\necho hi\nEOF\nRUN true\n")
                .getFirst();
        assertThat(onbuild.expression()).isEqualTo("RUN <<EOF\necho hi\nEOF");
        assertThat(onbuild.source()).isEqualTo(new Dockerfile.Source("ONBUILD RUN <<EOF", 2, 4));
        Dockerfile again = DockerfileParser.parse("FROM x\n" + onbuild.expression() + "\n");
        assertThat(((Instruction.Run) again.stages().getFirst().instructions().getFirst()).command().heredocs())
                .containsExactly(new Heredoc("EOF", "echo hi\n", true, false));
    }

    @Test void heredocWordsAsBuildKitClassifiesThem() {
        for (String valid : List.of("<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"", "<<EO\"F\"",
                "<< EOF", "<<- EOF")) {
            assertThat(Heredocs.parse(valid)).as(valid).isNotNull();
            assertThat(Heredocs.parse(valid).name()).as(valid).isEqualTo("EOF");
        }
        for (String not : List.of("", "EOF", "<EOF", "<<", "<<-", "<<EOF EOF", "a<<EOF", "<<'EOF", "<<EOF\"")) {
            assertThat(Heredocs.parse(not)).as(not).isNull();
        }
        assertThat(Heredocs.parse("<<-EOF").chomp()).isTrue();
        assertThat(Heredocs.parse("<<EO\"F\"").expand()).isFalse();
    }

    @Test void chompStripsLeadingTabsOfEveryLine() {
        assertThat(Heredocs.chomp("\thello\n\t\tworld\n  spaced\n")).isEqualTo("hello\nworld\n  spaced\n");
    }
}
