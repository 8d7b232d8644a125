package io.berth.engine.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ShellLexTest {
    private static final Map<String, String> ENV = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어",
            "NULL", "");
    private final ShellLex lex = new ShellLex('\\');

    /** "word | expected" rows (after BuildKit's envVarTest); "error" expects a failure. */
    private static final String WORDS = """
            hello                    | hello
            he'll'o                  | hello
            he'llo                   | error
            he\\'llo                 | he'llo
            he\\\\'llo               | error
            abc\\tdef                | abctdef
            "abc\\tdef"              | abc\\tdef
            "abc\\\\tdef"            | abc\\tdef
            'abc\\tdef'              | abc\\tdef
            hello\\                  | hello
            hello\\\\                | hello\\
            "hello                   | error
            "hello\\"                | error
            "hel'lo"                 | hel'lo
            'hello                   | error
            'hello\\'                | hello\\
            'hello\\there'           | hello\\there
            'hello\\\\there'         | hello\\\\there
            "''"                     | ''
            $.                       | $.
            he$1x                    | hex
            he$.x                    | he$.x
            he$pwd.                  | he.
            he$PWD                   | he/home
            he\\$PWD                 | he$PWD
            he\\\\$PWD               | he\\/home
            "he\\$PWD"               | he$PWD
            "he\\\\$PWD"             | he\\/home
            \\${}                    | ${}
            \\${}aaa                 | ${}aaa
            he\\${}                  | he${}
            he\\${}xx                | he${}xx
            ${}                      | error
            ${}aaa                   | error
            he${}                    | error
            he${}xx                  | error
            he${hi}                  | he
            he${hi}xx                | hexx
            he${PWD}                 | he/home
            he${.}                   | error
            he${XXX:-000}xx          | he000xx
            he${PWD:-000}xx          | he/homexx
            he${XXX:-$PWD}xx         | he/homexx
            he${XXX:-${PWD:-yyy}}xx  | he/homexx
            he${XXX:-${YYY:-yyy}}xx  | heyyyxx
            he${XXX:YYY}             | error
            he${XXX?}                | error
            he${XXX:?}               | error
            he${PWD?}                | he/home
            he${PWD:?}               | he/home
            he${NULL?}               | he
            he${NULL:?}              | error
            he${XXX:+${PWD}}xx       | hexx
            he${PWD:+${XXX}}xx       | hexx
            he${PWD:+${SHELL}}xx     | hebashxx
            he${XXX:+000}xx          | hexx
            he${PWD:+000}xx          | he000xx
            he${NULL-000}xx          | hexx
            he${NULL:-000}xx         | he000xx
            he${NULL+000}xx          | he000xx
            he${NULL:+000}xx         | hexx
            he${XXX-000}xx           | he000xx
            he${XXX+000}xx           | hexx
            'he${XX}'                | he${XX}
            "he${PWD}"               | he/home
            "he'$PWD'"               | he'/home'
            "$PWD"                   | /home
            '$PWD'                   | $PWD
            '\\$PWD'                 | \\$PWD
            '"hello"'                | "hello"
            'he\\$PWD'               | he\\$PWD
            he${PWD                  | error
            he${PWD:=000}xx          | error
            he${PWD:+${PWD}:}xx      | he/home:xx
            he${XXX:-\\$PWD:}xx      | he$PWD:xx
            he${XXX:-\\${PWD}z}xx    | he${PWDz}xx
            안녕하세요               | 안녕하세요
            안'녕'하세요             | 안녕하세요
            안'녕하세요              | error
            안녕\\'하세요            | 안녕'하세요
            "안녕'하세요"            | 안녕'하세요
            안녕${XXX:-${PWD:-yyy}}xx | 안녕/homexx
            $KOREAN                  | 한국어
            안녕$KOREAN              | 안녕한국어
            ${{aaa}                  | error
            ${aaa}}                  | }
            ${aaa                    | error
            ${{aaa:-bbb}             | error
            ${aaa:-bbb}}             | bbb}
            ${aaa:-bbb               | error
            ${aaa:-bbb}              | bbb
            ${aaa:-${bbb:-ccc}}      | ccc
            ${aaa:-bbb ${foo}        | error
            ${aaa:-bbb {foo}         | bbb {foo
            ${:}                     | error
            ${:-bbb}                 | error
            ${:+bbb}                 | error
            $1                       |
            ${1}                     |
            ${1:+bbb}                |
            ${1:-bbb}                | bbb
            """;

    @TestFactory Stream<DynamicTest> processWordAsBuildKitsEnvVarTable() {
        return WORDS.lines().map(row -> {
            int bar = row.lastIndexOf('|');
            String word = row.substring(0, bar).strip();
            String expected = row.substring(bar + 1).strip();
            return DynamicTest.dynamicTest(word, () -> {
                if (expected.equals("error")) {
                    assertThatThrownBy(() -> lex.processWord(word, ENV))
                            .isInstanceOf(BerthException.InvalidArgument.class);
                } else {
                    assertThat(lex.processWord(word, ENV)).isEqualTo(expected);
                }
            });
        });
    }

    /** "word | field,field" rows (after BuildKit's wordsTest) with space, leading and trailing set. */
    private static final String FIELDS = """
            hello | hello
            hello${hi}bye | hellobye
            hello${space}bye | helloabc,defbye
            hello"${space}"bye | helloabc  defbye
            hello "${space}"bye | hello,abc  defbye
            hello${leading}def | hello,ab,cdef
            hello"${leading}" def | hello  ab c,def
            hello"${leading}" | hello  ab c
            hello${leading} | hello,ab,c
            hello${trailing} | helloab,c
            hello${trailing}d | helloab,c,d
            hello"${trailing}"d | helloab c   d
            hello there     | hello,there
            hello\\ there | hello there
            hello\\" there | hello",there
            hello"\\\\there" | hello\\there
            hello"\\there" | hello\\there
            hello'\\\\there' | hello\\\\there
            hello'\\there' | hello\\there
            hello'$there' | hello$there
            """;

    @TestFactory Stream<DynamicTest> processWordsSplitsAsBuildKitsWordsTable() {
        Map<String, String> env = Map.of("space", "abc  def", "leading", "  ab c", "trailing", "ab c   ");
        return FIELDS.lines().map(row -> {
            int bar = row.lastIndexOf('|');
            String word = row.substring(0, bar).strip();
            List<String> expected = Arrays.asList(row.substring(bar + 1).strip().split(","));
            return DynamicTest.dynamicTest(word, () -> assertThat(lex.processWords(word, env))
                    .containsExactlyElementsOf(expected));
        });
    }

    @Test void quotedTextKeepsItsTrailingSpaces() {
        Map<String, String> env = Map.of("trailing", "ab c   ");
        assertThat(lex.processWords("hel\"lo${trailing}\"", env)).containsExactly("helloab c   ");
        assertThat(lex.processWords("hello\" there  \"", env)).containsExactly("hello there  ");
        assertThatThrownBy(() -> lex.processWords("hello\" there", env))
                .isInstanceOf(BerthException.InvalidArgument.class);
    }

    @Test void errorsCarryBuildKitsMessages() {
        assertThatThrownBy(() -> lex.processWord("he${XXX:?}", ENV))
                .hasMessage("failed to process \"he${XXX:?}\": XXX: is not allowed to be unset");
        assertThatThrownBy(() -> lex.processWord("${NULL:?must be set}", ENV))
                .hasMessage("failed to process \"${NULL:?must be set}\": NULL: must be set");
        assertThatThrownBy(() -> lex.processWord("${NULL:?}", ENV))
                .hasMessage("failed to process \"${NULL:?}\": NULL: is not allowed to be empty");
        assertThatThrownBy(() -> lex.processWord("${a:-b", ENV))
                .hasMessage("failed to process \"${a:-b\": syntax error: missing '}'");
        assertThatThrownBy(() -> lex.processWord("${a", ENV))
                .hasMessage("failed to process \"${a\": unsupported modifier (\uFFFD) in substitution");
        assertThatThrownBy(() -> lex.processWord("${}", ENV))
                .hasMessage("failed to process \"${}\": syntax error: bad substitution");
        assertThatThrownBy(() -> lex.processWord("${a:=b}", ENV))
                .hasMessage("failed to process \"${a:=b}\": unsupported modifier (:=) in substitution");
        assertThatThrownBy(() -> lex.processWord("'abc", ENV)).hasMessage(
                "failed to process \"'abc\": unexpected end of statement while looking for matching single-quote");
        assertThatThrownBy(() -> lex.processWord("\"abc", ENV)).hasMessage(
                "failed to process \"\\\"abc\": unexpected end of statement while looking for matching double-quote");
    }

    @Test void patternRemovalTakesShortestOrLongestMatch() {
        Map<String, String> env = Map.of("p", "/usr/local/bin/tool.tar.gz", "v", "abcabc");
        assertThat(lex.processWord("${p#*/}", env)).isEqualTo("usr/local/bin/tool.tar.gz");
        assertThat(lex.processWord("${p##*/}", env)).isEqualTo("tool.tar.gz");
        assertThat(lex.processWord("${p%.*}", env)).isEqualTo("/usr/local/bin/tool.tar");
        assertThat(lex.processWord("${p%%.*}", env)).isEqualTo("/usr/local/bin/tool");
        assertThat(lex.processWord("${v#a?c}", env)).isEqualTo("abc");
        assertThat(lex.processWord("${v%b*}", env)).isEqualTo("abca");
        assertThat(lex.processWord("${v%%b*}", env)).isEqualTo("a");
        assertThat(lex.processWord("${v#x}", env)).isEqualTo("abcabc");
        assertThat(lex.processWord("${unset#a}", env)).isEmpty();
        assertThatThrownBy(() -> lex.processWord("${v:#a}", env))
                .hasMessageEndingWith("unsupported modifier (:#) in substitution");
    }

    @Test void patternsEscapeRegexCharactersAndAcceptShellEscapes() {
        Map<String, String> env = Map.of("v", "a.b*c(d)", "w", "x}y");
        assertThat(lex.processWord("${v%.*}", env)).isEqualTo("a");
        assertThat(lex.processWord("${v#a.b\\*}", env)).isEqualTo("c(d)");
        assertThat(lex.processWord("${v/(d)/[e]}", env)).isEqualTo("a.b*c[e]");
        assertThat(lex.processWord("${w/\\}/-}", env)).isEqualTo("x-y");
    }

    @Test void substitutionReplacesFirstOrAll() {
        Map<String, String> env = Map.of("v", "a-b-c", "d", "1.2.3");
        assertThat(lex.processWord("${v/-/_}", env)).isEqualTo("a_b-c");
        assertThat(lex.processWord("${v//-/_}", env)).isEqualTo("a_b_c");
        assertThat(lex.processWord("${d//./}", env)).isEqualTo("123");
        assertThat(lex.processWord("${v/b*/X}", env)).isEqualTo("a-X");
        assertThat(lex.processWord("${v/?/X}", env)).isEqualTo("X-b-c");
        assertThat(lex.processWord("${unset/a/b}", env)).isEmpty();
        assertThatThrownBy(() -> lex.processWord("${v/a}", env)).hasMessageEndingWith("missing '/' in ${}");
    }

    @Test void backtickEscapeReplacesBackslash() {
        ShellLex tick = new ShellLex('`');
        assertThat(tick.processWord("C:\\path`$x", Map.of("x", "1"))).isEqualTo("C:\\path$x");
        assertThat(tick.processWord("\"a`\"b\"", Map.of())).isEqualTo("a\"b");
        assertThat(tick.processWord("$x\\y", Map.of("x", "1"))).isEqualTo("1\\y");
        assertThat(tick.processWords("a` b c", Map.of())).containsExactly("a b", "c");
    }

    @Test void expandedValuesAreNotRescanned() {
        Map<String, String> env = Map.of("a", "$b", "b", "x", "q", "'quoted'");
        assertThat(lex.processWord("$a", env)).isEqualTo("$b");
        assertThat(lex.processWord("$q", env)).isEqualTo("'quoted'");
    }

    @Test void specialParametersAreNamesOfOneCharacter() {
        assertThat(lex.processWord("$@x$*y$#z", Map.of())).isEqualTo("xyz");
        assertThat(lex.processWord("$12b", Map.of("12", "twelve"))).isEqualTo("twelveb");
    }

    @Test void referencedListsEveryNameLookedUpSetOrNot() {
        assertThat(lex.referenced("$A ${B:-$C} '${D}' \"$E\" \\$F ${G:+${H}} ${I#x} ${J/a/$K}"))
                .containsExactly("A", "C", "B", "E", "H", "G", "I", "K", "J");
        assertThat(lex.referenced("${A:?required}")).containsExactly("A");
        assertThat(lex.referenced("plain text")).isEmpty();
        assertThat(lex.referenced("$A ${B")).containsExactly("A");
    }

    @Test void unsetVariablesExpandToEmpty() {
        assertThat(lex.processWord("a${X}b$Y", Map.of())).isEqualTo("ab");
        assertThat(lex.processWords("$X", Map.of())).isEmpty();
        assertThat(lex.processWords("\"$X\"", Map.of())).isEmpty();
    }
}
