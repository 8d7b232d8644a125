package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime contract on {@link FakeOciRuntime}, and what only the fake does. Needs no root. */
class FakeOciRuntimeTest extends OciRuntimeContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger BUNDLES = new AtomicInteger();

    @Override
    OciRuntime open() {
        return new FakeOciRuntime();
    }

    FakeOciRuntime fake() {
        return (FakeOciRuntime) rt;
    }

    @Override
    Path bundle(boolean tty, String... args) throws IOException {
        Path b = tmp.resolve("bundle-" + BUNDLES.incrementAndGet());
        Files.createDirectories(b.resolve("rootfs"));
        ObjectNode config = JSON.createObjectNode();
        ObjectNode process = config.putObject("process");
        process.put("terminal", tty);
        ArrayNode a = process.putArray("args");
        for (String s : args) a.add(s);
        JSON.writeValue(b.resolve("config.json").toFile(), config);
        return b;
    }

    @AfterEach
    void cleanUp() throws IOException {
        deleteCreated();
        assertThat(fake().containers()).as("containers left in the runtime").isEmpty();
        rt.close();
        assertThat(fake().closed()).isTrue();
    }

    @Test
    void aTrappedSigtermEndsWithTheTrapsCode() throws Exception {
        String id = started("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        rt.kill(id, 15, false);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
    }

    @Test
    void aPausedContainerTakesOnlySigkill() throws Exception {
        String id = started("sh", "-c", "sleep 1000 & wait $!");
        rt.pause(id);
        rt.kill(id, 15, true);
        assertThat(rt.onExit(id)).isNotDone();
        rt.kill(id, 9, false);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isEqualTo(137);
    }

    @Test
    void exitsAndOomKillsOnDemandAndRecordsCalls() throws Exception {
        String a = started("sleep", "1000");
        rt.resize(a, 24, 80);
        rt.reopenLog(a);
        fake().exit(a, 5);
        assertThat(rt.awaitExit(a, WAIT).exitCode()).isEqualTo(5);
        assertThat(fake().calls()).containsExactly("resize " + a + " 24 80", "reopen-log " + a);
        assertThatThrownBy(() -> rt.resize(a, 1, 1)).isInstanceOf(BerthException.Conflict.class);

        String b = started("sleep", "1000");
        fake().oomKill(b);
        ExitStatus st = rt.awaitExit(b, WAIT);
        assertThat(st.exitCode()).isEqualTo(137);
        assertThat(st.oomKilled()).isTrue();
        assertThat(rt.recover()).filteredOn(r -> r.id().equals(b)).singleElement()
                .satisfies(r -> assertThat(r.exit()).isEqualTo(st));
    }

    @Test
    void attachIsNotSimulated() throws Exception {
        String id = newId();
        create(id, bundle(false, "sleep", "1000"), CreateOptions.logTo(log(id)));
        assertThatThrownBy(() -> rt.attach(id)).isInstanceOf(BerthException.Conflict.class);
    }
}
