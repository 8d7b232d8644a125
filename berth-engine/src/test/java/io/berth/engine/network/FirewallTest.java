package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The firewall looks for iptables when a bridge first needs it, not when the daemon starts. */
class FirewallTest {
    private final AtomicInteger lookups = new AtomicInteger();

    private Firewall firewall(String iptables) {
        return new Firewall(() -> {
            lookups.incrementAndGet();
            return iptables;
        });
    }

    @Test void applyingRulesBeforeAnyBridgeLooksForNothing() throws IOException {
        Firewall f = firewall("iptables");
        f.apply(List.of(), List.of(), ip -> null);
        assertThat(lookups).hasValue(0);
    }

    @Test void looksOnceWhenFirstAskedWhetherItIsInstalled() {
        Firewall f = firewall(null);
        assertThat(f.installed()).isTrue(); // nothing to install on a host without iptables
        assertThat(f.available()).isFalse();
        assertThat(lookups).hasValue(1);
    }

    @Test void withoutIptablesInstallAndUninstallRunNothing() throws IOException {
        Firewall f = firewall(null);
        f.install();
        f.uninstall();
        assertThat(f.installed()).isTrue();
        assertThat(lookups).hasValue(1);
    }
}
