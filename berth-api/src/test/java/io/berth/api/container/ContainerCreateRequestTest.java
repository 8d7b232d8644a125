package io.berth.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerCreateRequestTest {
    static final ObjectMapper M = Json.wire();

    /** The body docker CLI v28 sends for {@code docker run --rm --memory 64m -e A=b busybox true}. */
    static final String CLI_RUN = """
        {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,
         "Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=b"],"Cmd":["true"],"Image":"busybox",
         "Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},
         "HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"bridge",
          "PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"",
          "VolumesFrom":null,"ConsoleSize":[50,200],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],
          "DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,
          "OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,
          "SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,
          "Memory":67108864,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],
          "BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],
          "CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"",
          "Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,
          "MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":null,"Ulimits":[],"CpuCount":0,"CpuPercent":0,
          "IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},
         "NetworkingConfig":{"EndpointsConfig":{}}}
        """;

    /** Parts of the spec's ContainerCreateRequest example (v1.47). */
    static final String SPEC_EXAMPLE = """
        {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,
         "Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["FOO=bar","BAZ=quux"],"Cmd":["date"],
         "Entrypoint":"","Image":"ubuntu","Labels":{"com.example.vendor":"Acme"},
         "Volumes":{"/volumes/data":{}},"WorkingDir":"","NetworkDisabled":false,"MacAddress":"12:34:56:78:9a:bc",
         "ExposedPorts":{"22/tcp":{}},"StopSignal":"SIGTERM","StopTimeout":10,
         "HostConfig":{"Binds":["/tmp:/tmp"],"Links":["redis3:redis"],"Memory":0,"MemorySwap":0,
          "MemoryReservation":0,"NanoCpus":500000,"CpuPercent":80,"CpuShares":512,"CpuPeriod":100000,
          "CpuRealtimePeriod":1000000,"CpuRealtimeRuntime":10000,"CpuQuota":50000,"CpusetCpus":"0,1",
          "CpusetMems":"0,1","MaximumIOps":0,"MaximumIOBps":0,"BlkioWeight":300,
          "BlkioWeightDevice":[{}],"BlkioDeviceReadBps":[{}],"BlkioDeviceReadIOps":[{}],
          "BlkioDeviceWriteBps":[{}],"BlkioDeviceWriteIOps":[{}],"DeviceRequests":[{"Driver":"nvidia",
          "Capabilities":[["gpu","nvidia","compute"]],"DeviceIDs":["0","1","GPU-fef8089b"]}],
          "MemorySwappiness":60,"OomKillDisable":false,"OomScoreAdj":500,"PidMode":"","PidsLimit":0,
          "PortBindings":{"22/tcp":[{"HostPort":"11022"}]},"PublishAllPorts":false,"Privileged":false,
          "ReadonlyRootfs":false,"Dns":["8.8.8.8"],"DnsOptions":[""],"DnsSearch":[""],"VolumesFrom":["parent","other:ro"],
          "CapAdd":["NET_ADMIN"],"CapDrop":["MKNOD"],"GroupAdd":["newgroup"],
          "RestartPolicy":{"Name":"","MaximumRetryCount":0},"AutoRemove":true,"NetworkMode":"bridge",
          "Devices":[],"Ulimits":[{}],"LogConfig":{"Type":"json-file","Config":{}},"SecurityOpt":[],
          "StorageOpt":{},"CgroupParent":"","VolumeDriver":"","ShmSize":67108864},
         "NetworkingConfig":{"EndpointsConfig":{"isolated_nw":{"IPAMConfig":{"IPv4Address":"172.20.30.33",
          "IPv6Address":"2001:db8:abcd::3033","LinkLocalIPs":["169.254.34.68","fe80::3468"]},
          "Links":["container_1","container_2"],"Aliases":["server_x","server_y"]},"database_nw":{}}}}
        """;

    @Test
    void readsWhatTheCliSends() throws Exception {
        ContainerCreateRequest r = M.readValue(CLI_RUN, ContainerCreateRequest.class);
        assertThat(r.image()).isEqualTo("busybox");
        assertThat(r.cmd()).containsExactly("true");
        assertThat(r.env()).containsExactly("A=b");
        assertThat(r.entrypoint()).isNull();
        HostConfig h = r.hostConfig();
        assertThat(h.memory()).isEqualTo(67108864L);
        assertThat(h.autoRemove()).isTrue();
        assertThat(h.pidsLimit()).isNull();
        assertThat(h.memorySwappiness()).isNull();
        assertThat(h.oomKillDisable()).isNull();
        assertThat(h.consoleSize()).containsExactly(50, 200);
        assertThat(h.restartPolicy()).isEqualTo(new RestartPolicy("no", 0));
        assertThat(h.networkMode()).isEqualTo("bridge");
        assertThat(r.networkingConfig().endpointsConfig()).isEmpty();
    }

    @Test
    void roundTripsWithDockerNames() throws Exception {
        for (String sample : List.of(CLI_RUN)) {
            JsonNode in = M.readTree(sample);
            JsonNode out = M.valueToTree(M.readValue(sample, ContainerCreateRequest.class));
            // every field the client sent comes back under the same name with the same value
            in.fieldNames().forEachRemaining(f -> {
                if (!f.equals("HostConfig")) assertThat(String.valueOf(out.get(f))).as(f).isEqualTo(String.valueOf(in.get(f)));
            });
            in.get("HostConfig").fieldNames().forEachRemaining(f ->
                    assertThat(String.valueOf(out.get("HostConfig").get(f))).as(f).isEqualTo(String.valueOf(in.get("HostConfig").get(f))));
        }
    }

    @Test
    void readsTheSpecExample() throws Exception {
        ContainerCreateRequest r = M.readValue(SPEC_EXAMPLE, ContainerCreateRequest.class);
        HostConfig h = r.hostConfig();
        assertThat(h.nanoCpus()).isEqualTo(500000L);
        assertThat(h.cpuShares()).isEqualTo(512L);
        assertThat(h.pidsLimit()).isZero();
        assertThat(h.memorySwappiness()).isEqualTo(60L);
        assertThat(h.oomScoreAdj()).isEqualTo(500);
        assertThat(h.portBindings().get("22/tcp")).containsExactly(new PortBinding(null, "11022"));
        assertThat(h.capAdd()).containsExactly("NET_ADMIN");
        assertThat(h.deviceRequests().getFirst().deviceIDs()).containsExactly("0", "1", "GPU-fef8089b");
        assertThat(r.exposedPorts()).containsKey("22/tcp");
        assertThat(r.stopTimeout()).isEqualTo(10);
        assertThat(r.entrypoint()).containsExactly("");
        EndpointSettings e = r.networkingConfig().endpointsConfig().get("isolated_nw");
        assertThat(e.ipamConfig().ipv4Address()).isEqualTo("172.20.30.33");
        assertThat(e.aliases()).containsExactly("server_x", "server_y");
        JsonNode out = M.valueToTree(r);
        assertThat(out.at("/NetworkingConfig/EndpointsConfig/isolated_nw/IPAMConfig/IPv6Address").asText())
                .isEqualTo("2001:db8:abcd::3033");
        assertThat(out.at("/HostConfig/PortBindings/22~1tcp/0/HostPort").asText()).isEqualTo("11022");
        assertThat(out.at("/HostConfig/ShmSize").asLong()).isEqualTo(67108864L);
    }

    @Test
    void writesDockerNamesForTheOddOnes() {
        HostConfig.Builder b = HostConfig.builder();
        b.utsMode = "host"; b.ioMaximumIOps = 5L; b.ioMaximumBandwidth = 6L; b.containerIdFile = "/x";
        b.blkioDeviceReadIOps = List.of(new ThrottleDevice("/dev/sda", 10L));
        b.ulimits = List.of(new Ulimit("nofile", 1024L, 2048L));
        b.devices = List.of(new DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"));
        b.mounts = List.of(new Mount("/data", "vol", "volume", true, null, null,
                new Mount.VolumeOptions(true, null, null, null), null));
        JsonNode n = M.valueToTree(b.build());
        assertThat(n.has("UTSMode")).isTrue();
        assertThat(n.has("IOMaximumIOps")).isTrue();
        assertThat(n.has("IOMaximumBandwidth")).isTrue();
        assertThat(n.has("ContainerIDFile")).isTrue();
        assertThat(n.has("BlkioDeviceReadIOps")).isTrue();
        assertThat(n.has("CpuShares")).isTrue();
        assertThat(n.has("NanoCpus")).isTrue();
        assertThat(n.has("OomKillDisable")).isTrue();
        assertThat(n.has("CgroupnsMode")).isTrue();
        assertThat(n.get("Ulimits").get(0).toString()).isEqualTo("{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}");
        assertThat(n.get("Devices").get(0).toString()).isEqualTo(
                "{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"}");
        assertThat(n.at("/Mounts/0/VolumeOptions/NoCopy").asBoolean()).isTrue();
        assertThat(n.at("/Mounts/0/ReadOnly").asBoolean()).isTrue();
        assertThat(b.build().toBuilder().build()).isEqualTo(b.build());
    }
}
