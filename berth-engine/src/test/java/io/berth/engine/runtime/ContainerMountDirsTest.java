package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerMountDirsTest {
    static final Path CONTAINERS = Path.of("/run/berth/containers");
    static final Path NETNS = Path.of("/run/berth/netns");
    static final String ID = "c0ffee";

    /** A Sys that records mount and umount calls ("mount <target>", "umount <target>"), failing those in {@code refuse}. */
    static Sys recording(List<String> calls, List<String> refuse) {
        return (Sys) Proxy.newProxyInstance(Sys.class.getClassLoader(), new Class<?>[] {Sys.class}, (proxy, m, args) -> {
            String call = switch (m.getName()) {
                case "mount" -> "mount " + args[0] + " " + args[1] + " " + args[3];
                case "umount" -> "umount " + args[0] + " " + args[1];
                default -> throw new UnsupportedOperationException(m.getName());
            };
            if (refuse.contains(call)) throw new IOException("Device or resource busy");
            calls.add(call);
            return null;
        });
    }

    static String mountinfo(String... targets) {
        StringBuilder b = new StringBuilder("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n");
        int id = 100;
        for (String t : targets) b.append(id++).append(" 22 0:50 / ").append(t).append(" rw - tmpfs tmpfs rw\n");
        return b.toString();
    }

    static JsonNode spec(String json) throws IOException {
        return new ObjectMapper().readTree(json);
    }

    static final String SPEC = """
            {"root": {"path": "/run/berth/containers/c0ffee/rootfs"},
             "mounts": [{"destination": "/etc/hosts", "type": "bind", "source": "/var/lib/berth/containers/c0ffee/hosts"},
                        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm"}],
             "linux": {"namespaces": [{"type": "pid"}, {"type": "network", "path": "/run/berth/netns/c0ffee"}]}}
            """;

    @Test void directoriesBecomeMountPointsOfTheirOwnUnlessTheyAreOnes() {
        List<String> calls = new ArrayList<>();
        ContainerMountDirs dirs = ContainerMountDirs.prepare(recording(calls, List.of()), mountinfo("/run/berth/netns"),
                List.of(CONTAINERS, NETNS));
        assertThat(calls).containsExactly("mount /run/berth/containers /run/berth/containers " + Sys.MS_BIND);
        assertThat(dirs.dirs()).containsExactly(CONTAINERS, NETNS);
    }

    @Test void aDirectoryWithMountsUnderItFromAnEarlierDaemonIsLeftAsItIs() {
        List<String> calls = new ArrayList<>();
        ContainerMountDirs dirs = ContainerMountDirs.prepare(recording(calls, List.of()),
                mountinfo("/run/berth/containers/abc/rootfs"), List.of(CONTAINERS, NETNS));
        assertThat(calls).containsExactly("mount /run/berth/netns /run/berth/netns " + Sys.MS_BIND);
        assertThat(dirs.dirs()).containsExactly(NETNS);
    }

    @Test void aRefusedBindLeavesThatDirectoryOut() {
        String refused = "mount /run/berth/containers /run/berth/containers " + Sys.MS_BIND;
        ContainerMountDirs dirs = ContainerMountDirs.prepare(recording(new ArrayList<>(), List.of(refused)), mountinfo(),
                List.of(CONTAINERS, NETNS));
        assertThat(dirs.dirs()).containsExactly(NETNS);
    }

    @Test void mountinfoEscapesAreRead() {
        assertThat(io.berth.engine.sys.MountInfo.targets(mountinfo("/run/my\\040berth/netns"))).contains(Path.of("/run/my berth/netns"));
    }

    @Test void aCreateKeepsTheContainersRootAndNetworkNamespaceAndDropsTheDirectories() throws IOException {
        var dirs = new ContainerMountDirs(List.of(CONTAINERS, NETNS));
        assertThat(dirs.launcherArgs(spec(SPEC), CONTAINERS.resolve(ID))).containsExactly(
                "--keep=/run/berth/containers/c0ffee/rootfs", "--keep=/run/berth/netns/c0ffee",
                "--drop=/run/berth/containers", "--drop=/run/berth/netns");
    }

    @Test void aRelativeRootIsTheBundles() throws IOException {
        var dirs = new ContainerMountDirs(List.of(CONTAINERS));
        assertThat(dirs.launcherArgs(spec("{\"root\": {\"path\": \"rootfs\"}}"), CONTAINERS.resolve(ID)))
                .containsExactly("--keep=/run/berth/containers/c0ffee/rootfs", "--drop=/run/berth/containers");
    }

    @Test void anotherContainersNetworkNamespaceIsNotUnderTheDirectories() throws IOException {
        var dirs = new ContainerMountDirs(List.of(CONTAINERS, NETNS));
        String joined = SPEC.replace("/run/berth/netns/c0ffee", "/proc/4242/ns/net");
        assertThat(dirs.launcherArgs(spec(joined), CONTAINERS.resolve(ID))).containsExactly(
                "--keep=/run/berth/containers/c0ffee/rootfs", "--drop=/run/berth/containers", "--drop=/run/berth/netns");
    }

    @Test void aBindSourceUnderADirectoryIsKeptAndOneAboveThemDropsNothing() throws IOException {
        var dirs = new ContainerMountDirs(List.of(CONTAINERS, NETNS));
        String under = SPEC.replace("/var/lib/berth/containers/c0ffee/hosts", "/run/berth/containers/other/rootfs/etc");
        assertThat(dirs.launcherArgs(spec(under), CONTAINERS.resolve(ID)))
                .contains("--keep=/run/berth/containers/other/rootfs/etc");
        for (String above : List.of("/", "/run", "/run/berth/netns")) {
            String host = SPEC.replace("/var/lib/berth/containers/c0ffee/hosts", above);
            assertThat(dirs.launcherArgs(spec(host), CONTAINERS.resolve(ID))).as(above).isEmpty();
        }
    }

    @Test void moreToKeepThanTheLauncherTakesDropsNothing() throws IOException {
        var dirs = new ContainerMountDirs(List.of(CONTAINERS));
        StringBuilder mounts = new StringBuilder();
        for (int i = 0; i < ContainerMountDirs.MAX_KEEPS; i++) {
            if (i > 0) mounts.append(',');
            mounts.append("{\"type\": \"bind\", \"destination\": \"/m").append(i).append("\", \"source\": \"/run/berth/containers/o")
                    .append(i).append("\"}");
        }
        JsonNode many = spec("{\"root\": {\"path\": \"rootfs\"}, \"mounts\": [" + mounts + "]}");
        assertThat(dirs.launcherArgs(many, CONTAINERS.resolve(ID))).isEmpty();
    }

    @Test void noDirectoriesNoArguments() throws IOException {
        assertThat(ContainerMountDirs.NONE.launcherArgs(spec(SPEC), CONTAINERS.resolve(ID))).isEmpty();
    }

    @Test void releaseUnmountsPlainlySoABusyDirectoryStays() {
        List<String> calls = new ArrayList<>();
        String busy = "umount /run/berth/containers 0";
        new ContainerMountDirs(List.of(CONTAINERS, NETNS)).release(recording(calls, List.of(busy)));
        assertThat(calls).containsExactly("umount /run/berth/netns 0");
    }
}
