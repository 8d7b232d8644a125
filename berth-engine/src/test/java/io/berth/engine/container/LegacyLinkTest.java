package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.Test;

/** HostConfig.Links entries as clients send them and as inspect shows them; moby's ParseLink errors. No root. */
class LegacyLinkTest {
    @Test
    void parsesTheFormsClientsSendAndInspectShows() {
        assertThat(LegacyLink.parse("db:database")).isEqualTo(new LegacyLink("db", "database"));
        assertThat(LegacyLink.parse("db")).isEqualTo(new LegacyLink("db", "db"));
        assertThat(LegacyLink.parse("/db:/web/database")).isEqualTo(new LegacyLink("db", "database"));
        assertThat(new LegacyLink("db", "database").render("web")).isEqualTo("/db:/web/database");
    }

    @Test
    void badLinksAreDockersErrors() {
        assertThatThrownBy(() -> LegacyLink.parse("")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("empty string specified for links");
        assertThatThrownBy(() -> LegacyLink.parse("a:b:c")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("bad format for links: a:b:c");
    }
}
