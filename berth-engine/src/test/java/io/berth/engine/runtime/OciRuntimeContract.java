package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link OciRuntime} does, whatever runs the containers: each implementation's test
 * extends this class, opens its runtime and makes bundles whose {@code process.args} are busybox
 * commands ({@code sh -c …}, {@code sleep}, …). Subclasses delete {@link #created} after each test
 * ({@link #deleteCreated()}) and check that nothing is left behind.
 */
abstract class OciRuntimeContract {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path tmp;
    OciRuntime rt;
    final List<String> created = new ArrayList<>();

    /** The runtime under test (a test that cannot run here is skipped or failed through {@code Requirements}). */
    abstract OciRuntime open() throws IOException;

    /** An OCI bundle whose process runs {@code args} (with a terminal if {@code tty}). */
    abstract Path bundle(boolean tty, String... args) throws IOException;

    /** Creates the container of a bundle whose config.json is written: the runtime writes that spec again. */
    ContainerProcess create(String id, Path bundle, CreateOptions opts) throws IOException {
        return rt.create(id, bundle, (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(bundle.resolve("config.json").toFile()), opts);
    }

    @BeforeEach
    void openRuntime() throws IOException {
        rt = open();
    }

    /** Force-deletes every container a test created and did not delete itself. */
    void deleteCreated() {
        for (String id : created) {
            try {
                rt.delete(id, true);
            } catch (BerthException.NotFound e) {
                // deleted by the test
            }
        }
    }

    String newId() {
        String id = "t" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        created.add(id);
        return id;
    }

    Path log(String id) {
        return tmp.resolve(id + ".log");
    }

    /** A new container that runs {@code args}, created and started. */
    String started(String... args) throws IOException {
        String id = newId();
        create(id, bundle(false, args), CreateOptions.logTo(log(id)));
        rt.start(id);
        return id;
    }

    @Test
    void createsStartsAndRecordsTheExitCode() throws Exception {
        String id = newId();
        ContainerProcess c = create(id, bundle(false, "sh", "-c", "exit 3"), CreateOptions.logTo(log(id)));
        assertThat(c.id()).isEqualTo(id);
        assertThat(c.pid()).isPositive();
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.CREATED);
        assertThat(rt.onExit(id)).isNotDone();
        rt.start(id);
        ExitStatus exit = rt.awaitExit(id, WAIT);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.oomKilled()).isFalse();
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.STOPPED);
        rt.delete(id, false);
        created.remove(id);
        assertThatThrownBy(() -> rt.state(id)).isInstanceOf(BerthException.NotFound.class);
    }

    @Test
    void sigtermGives143AndSigkill137() throws Exception {
        // the container's pid 1 ignores signals it has no handler for (as in Docker): SIGTERM goes to
        // all processes, the child sleep dies of it and sh reports that
        String a = newId();
        create(a, bundle(false, "sh", "-c", "sleep 1000 & wait $!"), CreateOptions.logTo(log(a)));
        rt.start(a);
        rt.kill(a, 15, true);
        assertThat(rt.awaitExit(a, WAIT).exitCode()).isEqualTo(143);

        String b = newId();
        create(b, bundle(false, "sleep", "1000"), CreateOptions.logTo(log(b)));
        rt.start(b);
        rt.kill(b, 9, true);
        assertThat(rt.awaitExit(b, WAIT).exitCode()).isEqualTo(137);
        assertThatThrownBy(() -> rt.kill(b, 9, false)).isInstanceOf(BerthException.Conflict.class);
    }

    @Test
    void pausesAndResumes() throws Exception {
        String id = newId();
        create(id, bundle(false, "sleep", "1000"), CreateOptions.logTo(log(id)));
        rt.start(id);
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
        rt.pause(id);
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.PAUSED);
        rt.resume(id);
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
        assertThatThrownBy(() -> rt.delete(id, false)).isInstanceOf(BerthException.class);
        rt.delete(id, true);
        created.remove(id);
    }

    @Test
    void missingExecutableIsAClearError() throws Exception {
        String id = newId();
        assertThatThrownBy(() -> create(id, bundle(false, "nope"), CreateOptions.logTo(log(id))))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH")
                .satisfies(e -> assertThat(RuntimeErrors.exitCodeFor(e)).isEqualTo(127));
        assertThatThrownBy(() -> rt.start(id)).isInstanceOf(BerthException.NotFound.class);
    }

    @Test
    void aSecondCreateOfTheSameIdConflicts() throws Exception {
        String id = newId();
        Path bundle = bundle(false, "sleep", "1000");
        create(id, bundle, CreateOptions.logTo(log(id)));
        assertThatThrownBy(() -> create(id, bundle, CreateOptions.logTo(log(id)))).isInstanceOf(BerthException.Conflict.class);
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.CREATED);
    }

    @Test
    void unknownContainersAreNotFound() {
        String id = "unknown-" + SEQ.incrementAndGet();
        assertThatThrownBy(() -> rt.start(id)).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> rt.state(id)).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> rt.kill(id, 9, false)).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> rt.delete(id, true)).isInstanceOf(BerthException.NotFound.class);
    }

    @Test
    void recoverFindsARunningContainer() throws Exception {
        String id = newId();
        Path bundle = bundle(false, "sleep", "1000");
        ContainerProcess c = create(id, bundle, CreateOptions.logTo(log(id)));
        rt.start(id);
        assertThat(rt.recover()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.bundle()).isEqualTo(bundle.toAbsolutePath());
            assertThat(r.conmonPid()).isEqualTo(c.conmonPid());
            assertThat(r.monitorAlive()).isTrue();
            assertThat(r.exit()).isNull();
        });
        rt.kill(id, 9, false);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isEqualTo(137);
    }
}
