package io.berth.api.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    @Test void commentsBlankLinesBomAndLeadingSlash() {
        DockerIgnore d = DockerIgnore.parse("\uFEFF# comment\n\n  /secret.txt  \n./tmp/\n");
        assertThat(d.rules()).extracting(DockerIgnore.Rule::pattern).containsExactly("secret.txt", "tmp");
        assertThat(d.excludes("secret.txt")).isTrue();
        assertThat(d.excludes("tmp/a/b")).isTrue();
        assertThat(d.excludes("src/secret.txt")).isFalse();
    }

    @Test void starDoesNotCrossSlashButDoubleStarDoes() {
        DockerIgnore d = DockerIgnore.parse("*.log\n**/*.tmp\ndocs/**\n");
        assertThat(d.excludes("a.log")).isTrue();
        assertThat(d.excludes("dir/a.log")).isFalse();
        assertThat(d.excludes("x.tmp")).isTrue();
        assertThat(d.excludes("a/b/c/x.tmp")).isTrue();
        assertThat(d.excludes("docs/a/b.md")).isTrue();
        assertThat(d.excludes("docs")).isFalse();
    }

    @Test void lastMatchWinsAndExceptionsReinclude() {
        DockerIgnore d = DockerIgnore.parse("*.md\n!README.md\nREADME*\n");
        assertThat(d.excludes("CHANGES.md")).isTrue();
        assertThat(d.excludes("README.md")).isTrue();
        DockerIgnore e = DockerIgnore.parse("*.md\n!README.md\n");
        assertThat(e.excludes("README.md")).isFalse();
        assertThat(e.hasExclusions()).isTrue();
    }

    @Test void parentDirectoryMatchExcludesEverythingBelow() {
        DockerIgnore d = DockerIgnore.parse("node_modules\n");
        assertThat(d.excludes("node_modules/a/b.js")).isTrue();
        assertThat(d.excludes("node_modules")).isTrue();
        assertThat(d.excludes("src/node_modules")).isFalse();
    }

    @Test void questionMarkClassesAndEscapes() {
        DockerIgnore d = DockerIgnore.parse("file?.txt\n[a-c].bin\n[!x]y\nstar\\*\n");
        assertThat(d.excludes("file1.txt")).isTrue();
        assertThat(d.excludes("file10.txt")).isFalse();
        assertThat(d.excludes("b.bin")).isTrue();
        assertThat(d.excludes("d.bin")).isFalse();
        assertThat(d.excludes("zy")).isTrue();
        assertThat(d.excludes("xy")).isFalse();
        assertThat(d.excludes("star*")).isTrue();
        assertThat(d.excludes("starx")).isFalse();
    }

    @Test void bareExclamationIsAnError() {
        assertThatThrownBy(() -> DockerIgnore.parse("!\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("illegal exclusion pattern");
    }

    @Test void cleanIsGoFilepathClean() {
        assertThat(DockerIgnore.clean("a/../b/./c//")).isEqualTo("b/c");
        assertThat(DockerIgnore.clean("../a")).isEqualTo("../a");
        assertThat(DockerIgnore.clean("/../a")).isEqualTo("/a");
        assertThat(DockerIgnore.clean("")).isEqualTo(".");
    }
}
