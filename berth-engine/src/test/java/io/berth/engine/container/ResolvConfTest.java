package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A container's resolv.conf as Docker renders it, with and without the embedded DNS. No root. */
class ResolvConfTest {
    private static final String HOST = "# written by dhclient\nnameserver 10.0.0.53\nnameserver 127.0.0.53\nsearch corp.example\n"
            + "options edns0 rotate\n";

    @Test
    void embeddedDnsNamesOnly127_0_0_11AndAddsNdots0KeepingHostSearchAndOptions() {
        assertThat(ResolvConf.render(HOST, null, null, null, true))
                .isEqualTo("nameserver 127.0.0.11\nsearch corp.example\noptions edns0 rotate ndots:0\n");
    }

    @Test
    void embeddedDnsKeepsTheUsersNdotsAndSearchAndIgnoresDnsServersWhichItForwardsTo() {
        assertThat(ResolvConf.render(HOST, List.of("10.1.1.1"), List.of("a.test", "b.test"), List.of("ndots:3"), true))
                .isEqualTo("nameserver 127.0.0.11\nsearch a.test b.test\noptions ndots:3\n");
    }

    @Test
    void withoutEmbeddedDnsTheHostsServersLessLoopbackOnes() {
        assertThat(ResolvConf.render(HOST, null, null, null, false))
                .isEqualTo("nameserver 10.0.0.53\nsearch corp.example\noptions edns0 rotate\n");
        assertThat(ResolvConf.render("nameserver 127.0.0.53\n", null, List.of("."), null, false))
                .as("only loopback servers on the host: Docker's fallback; --dns-search . drops the search line")
                .isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(ResolvConf.render(HOST, List.of("1.2.3.4"), null, List.of("timeout:1"), false))
                .isEqualTo("nameserver 1.2.3.4\nsearch corp.example\noptions timeout:1\n");
    }
}
