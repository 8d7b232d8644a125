package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelInputTest {
    /** Gives {@code data} in pieces of {@code piece} bytes per read, as a socket with that much waiting would. */
    private static final class Trickle implements ReadableByteChannel {
        private final byte[] data;
        private final int piece;
        private int at;
        private boolean open = true;
        final List<Integer> room = new ArrayList<>(); // the buffer space each read offered

        Trickle(byte[] data, int piece) {
            this.data = data;
            this.piece = piece;
        }

        @Override public int read(ByteBuffer dst) {
            room.add(dst.remaining());
            if (at == data.length) return -1;
            int n = Math.min(Math.min(piece, dst.remaining()), data.length - at);
            dst.put(data, at, n);
            at += n;
            return n;
        }

        @Override public boolean isOpen() { return open; }

        @Override public void close() { open = false; }
    }

    private static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test void bytesAndArraysComeOutInOrderToTheEnd() throws IOException {
        byte[] data = data(100_000);
        ChannelInput in = new ChannelInput(new Trickle(data, 7000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in.read());
        byte[] buf = new byte[3000];
        int n;
        while ((n = in.read(buf, 1, 2999)) > 0) {
            out.write(buf, 1, n);
            int b = in.read();
            if (b < 0) break;
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(buf, 0, 10)).isEqualTo(-1);
        assertThat(in.read(buf, 0, 0)).isZero();
    }

    @Test void aReadGivesWhatIsBufferedWithoutWaitingForMore() throws IOException {
        Trickle channel = new Trickle(data(50_000), 1000);
        ChannelInput in = new ChannelInput(channel);
        assertThat(in.read(new byte[8000], 0, 8000)).isEqualTo(1000);
        assertThat(in.available()).isZero();
        assertThat(channel.room).hasSize(1);
    }

    @Test void theBufferGrowsWhileReadsFillItAndStopsAtItsLimit() throws IOException {
        Trickle channel = new Trickle(data(8 * ChannelInput.MAX), Integer.MAX_VALUE);
        ChannelInput in = new ChannelInput(channel);
        in.transferTo(OutputStream.nullOutputStream());
        assertThat(channel.room.getFirst()).isLessThan(ChannelInput.MAX);
        assertThat(channel.room).contains(ChannelInput.MAX).allMatch(r -> r <= ChannelInput.MAX);
    }

    @Test void anIdleConnectionKeepsItsSmallBuffer() throws IOException {
        Trickle channel = new Trickle(data(ChannelInput.MAX), 100);
        ChannelInput in = new ChannelInput(channel);
        in.transferTo(OutputStream.nullOutputStream());
        assertThat(channel.room).containsOnly(channel.room.getFirst());
    }

    @Test void closeClosesTheChannel() throws IOException {
        Trickle channel = new Trickle(new byte[0], 1);
        new ChannelInput(channel).close();
        assertThat(channel.isOpen()).isFalse();
    }
}
