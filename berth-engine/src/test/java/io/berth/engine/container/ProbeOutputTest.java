package io.berth.engine.container;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A probe's output is capped at 4096 bytes, with "..." when more came, as moby's limitedBuffer. */
class ProbeOutputTest {
    @Test
    void keepsTheFirst4096BytesAndMarksTheCut() {
        ProbeOutput out = new ProbeOutput();
        byte[] chunk = "0123456789".repeat(300).getBytes(StandardCharsets.UTF_8);
        out.write(chunk, 0, chunk.length);
        out.write(chunk, 0, chunk.length);
        String s = out.toString();
        assertThat(s).hasSize(ProbeOutput.MAX + 3).endsWith("...").startsWith("0123456789");
    }

    @Test
    void exactlyTheCapIsNotCut() {
        ProbeOutput out = new ProbeOutput();
        byte[] b = "x".repeat(ProbeOutput.MAX).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        assertThat(out.toString()).hasSize(ProbeOutput.MAX).doesNotEndWith("...");
        out.write('y');
        assertThat(out.toString()).endsWith("x...");
    }
}
