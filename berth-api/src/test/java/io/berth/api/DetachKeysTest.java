package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
    @Test
    void toBytesSpellsKeysAsMobyTerm() {
        assertThat(DetachKeys.toBytes("ctrl-p,ctrl-q")).containsExactly(16, 17);
        assertThat(DetachKeys.toBytes("a,ctrl-@,DEL,ctrl-\\")).containsExactly('a', 0, 127, 28);
        assertThat(DetachKeys.toBytes("ctrl-[,ctrl-],ctrl-^,ctrl-_,ctrl-z")).containsExactly(27, 29, 30, 31, 26);
        assertThatThrownBy(() -> DetachKeys.toBytes("ctrl-pp")).hasMessage("Unknown character: 'ctrl-pp'");
        assertThatThrownBy(() -> DetachKeys.toBytes("CTRL-P")).hasMessage("Unknown character: 'CTRL-P'");
        assertThatThrownBy(() -> DetachKeys.toBytes("ctrl-p,")).hasMessage("Unknown character: ''");
    }

    @Test
    void parseDefaultsAndFailsWithDockersMessage() {
        assertThat(DetachKeys.parse(null)).containsExactly(16, 17);
        assertThat(DetachKeys.parse("")).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-a")).containsExactly(1);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1"))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("Invalid detach keys (ctrl-1) provided");
    }

    @Test
    void escapeProxyPassesPartialSequencesAndStopsOnFull() throws Exception {
        byte[] keys = DetachKeys.toBytes("ctrl-p,ctrl-q");
        InputStream p = DetachKeys.proxy(new ByteArrayInputStream(new byte[] {'a', 16, 'b', 16, 16, 17, 'z'}), keys);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            byte[] buf = new byte[2];
            int n;
            while ((n = p.read(buf)) > 0) got.write(buf, 0, n);
        }).isInstanceOf(DetachKeys.EscapeException.class);
        assertThat(got.toByteArray()).containsExactly('a', 16, 'b', 16);
        InputStream q = DetachKeys.proxy(new ByteArrayInputStream(new byte[] {'x', 16}), keys);
        assertThat(q.readAllBytes()).containsExactly('x', 16);
    }

    @Test
    void escapeProxyWithoutKeysIsTheStreamItself() throws Exception {
        InputStream in = new ByteArrayInputStream(new byte[] {16, 17});
        assertThat(DetachKeys.proxy(in, new byte[0])).isSameAs(in);
    }

    @Test
    void matcherHoldsBackAPrefixAcrossFeedsAndDropsWhatFollowsTheSequence() {
        DetachKeys.Matcher m = new DetachKeys.Matcher(DetachKeys.parse("ctrl-p,ctrl-q"));
        assertThat(m.feed(new byte[] {'l', 's', 16}, 0, 3)).containsExactly('l', 's');
        assertThat(m.detached()).isFalse();
        assertThat(m.feed(new byte[] {'x', 16}, 0, 1)).containsExactly(16, 'x');
        assertThat(m.feed(new byte[] {'y', 16, 17, 'z'}, 1, 3)).isEmpty();
        assertThat(m.detached()).isTrue();
        assertThat(m.feed(new byte[] {'w'}, 0, 1)).isEmpty();
        assertThat(m.held()).isEmpty();
    }

    @Test
    void matcherPassesAHeldPrefixOnAtEndOfStream() {
        DetachKeys.Matcher m = new DetachKeys.Matcher(DetachKeys.toBytes("a,b,c"));
        assertThat(m.feed(new byte[] {'x', 'a', 'b'}, 0, 3)).containsExactly('x');
        assertThat(m.held()).containsExactly('a', 'b');
        assertThat(m.detached()).isFalse();
    }

    @Test
    void singleKeyDetachesAtOnce() {
        DetachKeys.Matcher m = new DetachKeys.Matcher(DetachKeys.toBytes("DEL"));
        assertThat(m.feed(new byte[] {'q', 127, 'r'}, 0, 3)).containsExactly('q');
        assertThat(m.detached()).isTrue();
    }

    @Test
    void emptyKeysNeverDetach() {
        DetachKeys.Matcher m = new DetachKeys.Matcher(new byte[0]);
        assertThat(m.feed(new byte[] {16, 17}, 0, 2)).containsExactly(16, 17);
        assertThat(m.detached()).isFalse();
    }
}
