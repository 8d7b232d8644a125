package io.berth.engine.sys;

import io.berth.engine.testing.Requirements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Root only: makes a test bridge {@code berthtest0}, a namespace in a temp file and veth pairs
 * {@code vbtest*}, checks them through /sys and /proc/thread-self/net, and removes them all.
 */
class NetlinkTest {
    private static final String BRIDGE = "berthtest0";
    private static final byte[] GW = {10, (byte) 251, 77, 1};
    private static final byte[] IP = {10, (byte) 251, 77, 2};
    private static final byte[] MAC = {0x02, 0x42, 10, (byte) 251, 77, 2};
    @TempDir Path tmp;
    private Path ns;
    private boolean mounted;

    @BeforeEach
    void root() throws IOException {
        Requirements.require("root".equals(System.getProperty("user.name")), "netlink tests need root");
        cleanup();
        ns = tmp.resolve("ns");
        Files.createFile(ns);
    }

    @AfterEach
    void cleanup() throws IOException {
        try (Netlink nl = Netlink.open()) {
            nl.deleteLink("vbtest0");
            nl.deleteLink("vbtest1");
            nl.deleteLink(BRIDGE);
        }
        if (ns != null && Files.exists(ns)) {
            if (mounted) Sys.linux().umount(ns, Sys.MNT_DETACH);
            Files.delete(ns);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    @Test
    void vethIntoANamespaceAddressedAndRouted() throws Exception {
        int br;
        try (Netlink nl = Netlink.open()) {
            nl.addBridge(BRIDGE, 1400);
            br = nl.linkIndex(BRIDGE);
            assertThat(br).isPositive();
            nl.setLink(br, true, null, -1);
        }
        NetNs.create(ns);
        mounted = true;
        assertThat(NetNs.inside(ns, () -> read(Path.of("/proc/thread-self/net/dev")))).contains("lo:").doesNotContain("eth0");
        assertThat(NetNs.inside(ns, () -> {
            try (Netlink in = Netlink.open()) { return in.linkIndex("lo"); }
        })).isEqualTo(1);

        int fd = NetNs.open(ns);
        try (Netlink nl = Netlink.open()) {
            nl.addVeth("vbtest0", 1400, br, true, "eth0", MAC, fd);
            assertThatThrownBy(() -> nl.addVeth("vbtest0", 1400, br, true, "eth9", null, fd))
                    .isInstanceOf(IOException.class).hasMessageContaining("add veth vbtest0/eth9: File exists");
        } finally {
            NetNs.close(fd);
        }
        Path host = Path.of("/sys/class/net/vbtest0");
        assertThat(Files.readSymbolicLink(host.resolve("master")).getFileName().toString()).isEqualTo(BRIDGE);
        assertThat(read(host.resolve("mtu"))).isEqualTo("1400");
        assertThat(Integer.decode(read(host.resolve("flags"))) & 1).isEqualTo(1);
        assertThat(Files.exists(Path.of("/sys/class/net/eth0/master"))).isFalse(); // the host's eth0 is untouched

        try (Netlink in = NetNs.openNetlink(ns)) {
            int idx = in.linkIndex("eth0");
            assertThat(idx).isPositive();
            assertThat(in.linkIndex("vbtest0")).isZero();
            in.addAddress4(idx, IP, 24);
            in.setLink(idx, true, null, -1);
            assertThat(in.hasDefaultRoute4()).isFalse();
            in.addDefaultRoute4(idx, GW);
            assertThat(in.hasDefaultRoute4()).isTrue();
        }
        String routes = NetNs.inside(ns, () -> read(Path.of("/proc/thread-self/net/route")));
        // default route (destination 0) via 10.251.77.1 (little-endian hex) on eth0
        assertThat(routes).containsPattern("eth0\\s+00000000\\s+014DFB0A");
        String ip = new String(new ProcessBuilder("nsenter", "--net=" + ns, "ip", "-o", "addr", "show", "dev", "eth0")
                .redirectErrorStream(true).start().getInputStream().readAllBytes());
        assertThat(ip).contains("inet 10.251.77.2/24");
        String link = new String(new ProcessBuilder("nsenter", "--net=" + ns, "ip", "-o", "link", "show", "dev", "eth0")
                .redirectErrorStream(true).start().getInputStream().readAllBytes());
        assertThat(link).contains("link/ether 02:42:0a:fb:4d:02").contains("mtu 1400").contains(",UP");
        assertThat(Files.exists(Path.of("/sys/class/net/vbtest0"))).isTrue();

        try (Netlink nl = Netlink.open()) {
            assertThat(nl.deleteLink("vbtest0")).isTrue();
            assertThat(nl.deleteLink("vbtest0")).isFalse();
        }
        assertThat(Files.exists(host)).isFalse();
        assertThat(NetNs.inside(ns, () -> read(Path.of("/proc/thread-self/net/dev")))).doesNotContain("eth0");
    }

    @Test
    void errorsCarryStrerror() throws IOException {
        try (Netlink nl = Netlink.open()) {
            assertThat(nl.linkIndex("vbtest1")).isZero();
            assertThatThrownBy(() -> nl.setLink(999_999, true, null, -1))
                    .isInstanceOf(Netlink.NetlinkException.class).hasMessageContaining("No such device");
        }
    }
}
