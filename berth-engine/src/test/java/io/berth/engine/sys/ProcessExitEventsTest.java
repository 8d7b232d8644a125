package io.berth.engine.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ProcessExitEventsTest {
    /** One netlink message of the proc connector: nlmsghdr, cn_msg, proc_event {what, cpu, timestamp, data}. */
    private static ByteBuffer event(ByteBuffer b, int what, int... data) {
        int len = 16 + 20 + 16 + 24;
        b.putInt(len).putShort((short) 3).putShort((short) 0).putInt(1).putInt(0);
        b.putInt(1).putInt(1).putInt(0).putInt(0).putShort((short) (16 + 24)).putShort((short) 0);
        b.putInt(what).putInt(0).putLong(123L);
        for (int i = 0; i < 6; i++) b.putInt(i < data.length ? data[i] : 0);
        return b;
    }

    @Test
    void exitsOfWholeProcessesAreParsedOthersSkipped() {
        ByteBuffer b = ByteBuffer.allocate(4 * 76).order(ByteOrder.nativeOrder());
        event(b, 0x80000000, 100, 100, 7 << 8, 17, 50, 50);   // a process exited 7, child of 50
        event(b, 0x80000000, 101, 100, 0, 0, 50, 50);         // one of its threads: not a process exit
        event(b, 0x00000001, 102, 102, 0, 0, 0, 0);           // a fork
        event(b, 0x80000000, 103, 103, 9, 17, 60, 60);        // killed by SIGKILL

        assertThat(ProcessExitEvents.parse(b.array())).containsExactly(
                new ProcessExitEvents.Exit(100, 50, 7 << 8), new ProcessExitEvents.Exit(103, 60, 9));
    }

    @Test
    void exitCodesAsAShellReportsThem() {
        assertThat(new ProcessExitEvents.Exit(1, 1, 3 << 8).exitCode()).isEqualTo(3);
        assertThat(new ProcessExitEvents.Exit(1, 1, 9).exitCode()).isEqualTo(137);
        assertThat(new ProcessExitEvents.Exit(1, 1, 0).exitCode()).isZero();
    }

    @Test
    void theListenRequestFiltersExitsOnKernelsThatCan() {
        assertThat(ProcessExitEvents.filters("6.18.44-fc-v669")).isTrue();
        assertThat(ProcessExitEvents.filters("6.6.0")).isTrue();
        assertThat(ProcessExitEvents.filters("6.1.0-13-amd64")).isFalse();
        assertThat(ProcessExitEvents.filters("5.15.0")).isFalse();
        assertThat(ProcessExitEvents.filters("")).isFalse();

        ByteBuffer filtered = ByteBuffer.wrap(ProcessExitEvents.listenRequest(true)).order(ByteOrder.nativeOrder());
        assertThat(filtered.getInt(0)).isEqualTo(44).isEqualTo(filtered.capacity());
        assertThat(filtered.getShort(32)).as("cn_msg len").isEqualTo((short) 8);
        assertThat(filtered.getInt(36)).as("PROC_CN_MCAST_LISTEN").isEqualTo(1);
        assertThat(filtered.getInt(40)).as("PROC_EVENT_EXIT").isEqualTo(0x80000000);
        ByteBuffer plain = ByteBuffer.wrap(ProcessExitEvents.listenRequest(false)).order(ByteOrder.nativeOrder());
        assertThat(plain.capacity()).isEqualTo(40);
        assertThat(plain.getShort(32)).isEqualTo((short) 4);
    }
}
