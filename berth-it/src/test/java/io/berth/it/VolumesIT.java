package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Mounts;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 4, volumes: named, anonymous, bind, tmpfs and volumes-from mounts through the real docker CLI, as Docker's. */
class VolumesIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    private static DockerCli docker;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox", "VOLUME /imgvol");
    }

    @AfterAll
    static void nothingLeft() {
        docker.run("container", "prune", "-f");
        docker.run("volume", "prune", "-a", "-f");
        assertThat(docker.ok("volume", "ls", "-q")).isBlank();
        assertThat(Mounts.under(daemon.dataRoot())).isEmpty();
    }

    /** {@code docker run} as create, start, wait, logs (stdout and stderr), rm -v: the output does not depend on attach timing. */
    private static String sh(String... args) {
        List<String> create = new ArrayList<>(List.of("create"));
        create.addAll(List.of(args));
        String id = docker.ok(create.toArray(String[]::new)).strip();
        docker.ok("start", id);
        docker.ok("wait", id);
        Result logs = docker.run("logs", id);
        docker.ok("rm", "-v", id);
        return logs.out() + logs.err();
    }

    @Test
    void namedVolumePersistsAcrossContainersAndIsInspectable() {
        assertThat(docker.ok("volume", "create", "--label", "k=v", "keep").strip()).isEqualTo("keep");
        sh("-v", "keep:/data", "busybox", "sh", "-c", "echo persisted > /data/f");
        assertThat(sh("-v", "keep:/data:ro", "busybox", "cat", "/data/f").strip()).isEqualTo("persisted");
        assertThat(sh("-v", "keep:/data:ro", "busybox", "touch", "/data/g")).contains("Read-only file system");
        JsonNode v = Images.parse(docker.ok("volume", "inspect", "keep")).get(0);
        assertThat(v.path("Driver").asText()).isEqualTo("local");
        assertThat(v.path("Labels").path("k").asText()).isEqualTo("v");
        assertThat(v.path("Mountpoint").asText()).isEqualTo(daemon.dataRoot().resolve("volumes/keep/_data").toString());
        assertThat(docker.ok("volume", "ls", "-q", "--filter", "label=k=v")).contains("keep");
        assertThat(docker.ok("volume", "ls", "-q", "--filter", "name=kee")).contains("keep");
        docker.ok("volume", "rm", "keep");
        assertThat(docker.run("volume", "inspect", "keep").err()).contains("get keep: no such volume");
    }

    @Test
    void volumeInUseIsA409AndInspectShowsMounts() {
        String id = docker.ok("create", "--name", "user", "-v", "busy:/b", "-v", "/anon", "busybox", "true").strip();
        assertThat(docker.run("volume", "rm", "busy").err()).contains("remove busy: volume is in use - [" + id + "]");
        JsonNode mounts = Images.parse(docker.ok("inspect", "-f", "{{json .Mounts}}", "user"));
        assertThat(mounts).hasSize(3); // busy, /anon, the image's /imgvol
        for (JsonNode m : mounts) {
            assertThat(m.path("Type").asText()).isEqualTo("volume");
            assertThat(m.path("Driver").asText()).isEqualTo("local");
            if (m.path("Name").asText().equals("busy")) assertThat(m.path("Mode").asText()).isEqualTo("z");
            else assertThat(m.path("Name").asText()).matches("[0-9a-f]{64}");
        }
        assertThat(docker.ok("volume", "ls", "-q", "--filter", "dangling=true")).doesNotContain("busy");
        docker.ok("rm", "-v", "user");
        // rm -v removes the anonymous volumes, not the named one
        assertThat(docker.ok("volume", "ls", "-q").strip()).isEqualTo("busy");
        docker.ok("volume", "rm", "busy");
    }

    @Test
    void emptyVolumeIsFilledFromTheImageUnlessNocopy() {
        String etc = sh("-v", "fresh:/etc", "busybox", "cat", "/etc/passwd");
        assertThat(etc).contains("root:");
        assertThat(daemon.dataRoot().resolve("volumes/fresh/_data/passwd")).exists();
        String none = sh("--mount", "type=volume,src=empty,dst=/etc,volume-nocopy", "busybox", "ls", "/etc");
        assertThat(none).doesNotContain("passwd");
        docker.ok("volume", "rm", "fresh", "empty");
    }

    @Test
    void bindMountsReadOnlyAndReadWrite() throws Exception {
        Path dir = Files.createTempDirectory("berth-bind");
        try {
            Files.writeString(dir.resolve("x"), "from host");
            assertThat(sh("-v", dir + ":/h:ro", "busybox", "cat", "/h/x")).isEqualTo("from host");
            assertThat(sh("-v", dir + ":/h:ro", "busybox", "touch", "/h/y")).contains("Read-only");
            sh("--mount", "type=bind,src=" + dir + ",dst=/h", "busybox", "touch", "/h/y");
            assertThat(dir.resolve("y")).exists();
            sh("-v", dir.resolve("made") + ":/m", "busybox", "true");
            assertThat(dir.resolve("made")).isDirectory();
            assertThat(docker.run("run", "--rm", "--mount", "type=bind,src=" + dir.resolve("nope") + ",dst=/x", "busybox", "true").err())
                    .contains("invalid mount config for type \"bind\": bind source path does not exist: " + dir.resolve("nope"));
        } finally {
            BerthDaemon.deleteTree(dir);
        }
    }

    @Test
    void tmpfsMountsAndTmpfsVolumes() {
        assertThat(sh("--mount", "type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770", "busybox",
                "sh", "-c", "df -k /t | tail -1; stat -c %a /t")).contains(" 1024 ").contains("1770");
        assertThat(sh("--tmpfs", "/t2:size=2m", "busybox", "df", "-k", "/t2")).contains(" 2048 ");
        docker.ok("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=3m", "tv");
        assertThat(sh("-v", "tv:/v", "busybox", "df", "-k", "/v")).contains(" 3072 ");
        assertThat(Mounts.under(daemon.dataRoot())).isEmpty();
        docker.ok("volume", "rm", "tv");
    }

    @Test
    void volumesFromShareTheDataContainersVolumes() {
        docker.ok("create", "--name", "store", "-v", "/shared", "busybox", "true");
        sh("--volumes-from", "store", "busybox", "sh", "-c", "echo s > /shared/s");
        assertThat(sh("--volumes-from", "store:ro", "busybox", "cat", "/shared/s").strip()).isEqualTo("s");
        assertThat(sh("--volumes-from", "store:ro", "busybox", "touch", "/shared/t")).contains("Read-only");
        docker.ok("rm", "-v", "store");
        assertThat(docker.ok("volume", "ls", "-q")).isBlank();
    }

    @Test
    void mountSpecsAreValidatedWithDockersErrors() {
        assertThat(docker.run("run", "--rm", "-v", "aa:/x", "-v", "bb:/x", "busybox", "true").err()).contains("Duplicate mount point: /x");
        assertThat(docker.run("run", "--rm", "-v", "xx:rel", "busybox", "true").err())
                .contains("invalid mount path: 'rel' mount path must be absolute");
        assertThat(docker.run("volume", "create", "a@b").err()).contains("\"a@b\" includes invalid characters for a local volume name");
        assertThat(docker.ok("volume", "ls", "-q")).isBlank();
    }

    @Test
    void pruneRemovesAnonymousVolumesUnlessAll() {
        docker.ok("run", "--rm", "-v", "/gone", "busybox", "true"); // --rm removes its anonymous volumes
        assertThat(docker.ok("volume", "ls", "-q")).isBlank();
        docker.ok("volume", "create", "named1");
        docker.ok("create", "--name", "p1", "-v", "/a", "busybox", "true");
        docker.ok("rm", "p1"); // without -v: its anonymous volumes stay
        assertThat(docker.ok("volume", "ls", "-q").lines().count()).isEqualTo(3); // named1, /a, /imgvol
        docker.ok("volume", "prune", "-f");
        assertThat(docker.ok("volume", "ls", "-q").strip()).isEqualTo("named1");
        assertThat(docker.ok("system", "df", "-v")).contains("named1");
        assertThat(docker.ok("volume", "prune", "-a", "-f")).contains("named1");
        assertThat(docker.ok("volume", "ls", "-q")).isBlank();
    }

    /** {@code docker volume create} without a name (docker-py's create_volume()) makes an anonymous volume, as moby does. */
    @Test
    void aVolumeCreatedWithoutANameIsAnonymous() {
        String id = docker.ok("volume", "create").strip();
        assertThat(docker.ok("volume", "inspect", "-f", "{{json .Labels}}", id).strip()).isEqualTo("{\"com.docker.volume.anonymous\":\"\"}");
        docker.ok("volume", "create", "named2");
        assertThat(docker.ok("volume", "prune", "-f")).contains(id).doesNotContain("named2");
        docker.ok("volume", "rm", "named2");
    }

    /** {@code --mount …,volume-subpath=} (API 1.45): a directory or file inside a named volume, as moby mounts it. */
    @Test
    void volumeSubpaths() {
        docker.ok("run", "--rm", "-v", "sub1:/v", "busybox", "sh", "-c", "mkdir -p /v/dir && echo inside > /v/dir/f && echo top > /v/t");
        assertThat(docker.ok("run", "--rm", "--mount", "type=volume,src=sub1,dst=/m,volume-subpath=dir", "busybox", "ls", "/m"))
                .isEqualTo("f\n");
        assertThat(docker.ok("run", "--rm", "--mount", "type=volume,src=sub1,dst=/m/t,volume-subpath=t,readonly", "busybox",
                "cat", "/m/t")).isEqualTo("top\n");
        assertThat(docker.run("run", "--rm", "--mount", "type=volume,src=sub1,dst=/m,volume-subpath=/etc", "busybox", "true").err())
                .contains("subpath must be a relative path within the volume");
        assertThat(docker.run("run", "--rm", "--mount", "type=volume,src=sub1,dst=/m,volume-subpath=nope", "busybox", "true").err())
                .contains("cannot access path");
        docker.run("container", "prune", "-f");
        docker.ok("volume", "rm", "sub1");
    }
}
