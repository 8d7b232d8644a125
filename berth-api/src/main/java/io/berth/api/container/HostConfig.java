package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code HostConfig} of {@code POST /containers/create} and of inspect: Docker's {@code Resources}
 * fields first, then the host-dependent settings, in the order of the v1.47 spec. Every number and
 * flag is boxed: {@code null} is "not given", which Docker tells apart from zero for several
 * ({@code PidsLimit}, {@code MemorySwappiness}, {@code OomKillDisable}, {@code Init}).
 */
public record HostConfig(
        // Resources
        Long cpuShares,
        Long memory,
        String cgroupParent,
        Integer blkioWeight,
        List<WeightDevice> blkioWeightDevice,
        List<ThrottleDevice> blkioDeviceReadBps,
        List<ThrottleDevice> blkioDeviceWriteBps,
        @JsonProperty("BlkioDeviceReadIOps") List<ThrottleDevice> blkioDeviceReadIOps,
        @JsonProperty("BlkioDeviceWriteIOps") List<ThrottleDevice> blkioDeviceWriteIOps,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuRealtimePeriod,
        Long cpuRealtimeRuntime,
        String cpusetCpus,
        String cpusetMems,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<DeviceRequest> deviceRequests,
        Long kernelMemoryTCP,
        Long memoryReservation,
        Long memorySwap,
        Long memorySwappiness,
        Long nanoCpus,
        Boolean oomKillDisable,
        Boolean init,
        Long pidsLimit,
        List<Ulimit> ulimits,
        Long cpuCount,
        Long cpuPercent,
        @JsonProperty("IOMaximumIOps") Long ioMaximumIOps,
        @JsonProperty("IOMaximumBandwidth") Long ioMaximumBandwidth,
        // host settings
        List<String> binds,
        @JsonProperty("ContainerIDFile") String containerIdFile,
        LogConfig logConfig,
        String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        Boolean autoRemove,
        String volumeDriver,
        List<String> volumesFrom,
        List<Mount> mounts,
        List<Integer> consoleSize,
        Map<String, String> annotations,
        List<String> capAdd,
        List<String> capDrop,
        String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        String ipcMode,
        String cgroup,
        List<String> links,
        Integer oomScoreAdj,
        String pidMode,
        Boolean privileged,
        Boolean publishAllPorts,
        Boolean readonlyRootfs,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        @JsonProperty("UTSMode") String utsMode,
        String usernsMode,
        Long shmSize,
        Map<String, String> sysctls,
        String runtime,
        String isolation,
        List<String> maskedPaths,
        List<String> readonlyPaths) {

    /** A HostConfig with nothing set, as {@code docker create} without flags would approach. */
    public static HostConfig empty() {
        return new Builder().build();
    }

    /** A builder for tests and for callers that set a few fields. */
    public static Builder builder() { return new Builder(); }

    /** Copies this HostConfig into a builder. */
    public Builder toBuilder() { return new Builder(this); }

    /** Mutable builder; field names match the record components. */
    public static final class Builder {
        public Long cpuShares, memory, cpuPeriod, cpuQuota, cpuRealtimePeriod, cpuRealtimeRuntime, kernelMemoryTCP,
                memoryReservation, memorySwap, memorySwappiness, nanoCpus, pidsLimit, cpuCount, cpuPercent,
                ioMaximumIOps, ioMaximumBandwidth, shmSize;
        public String cgroupParent, cpusetCpus, cpusetMems, containerIdFile, networkMode, volumeDriver, cgroupnsMode,
                ipcMode, cgroup, pidMode, utsMode, usernsMode, runtime, isolation;
        public Integer blkioWeight, oomScoreAdj;
        public List<WeightDevice> blkioWeightDevice;
        public List<ThrottleDevice> blkioDeviceReadBps, blkioDeviceWriteBps, blkioDeviceReadIOps, blkioDeviceWriteIOps;
        public List<DeviceMapping> devices;
        public List<String> deviceCgroupRules, binds, volumesFrom, capAdd, capDrop, dns, dnsOptions, dnsSearch,
                extraHosts, groupAdd, links, securityOpt, maskedPaths, readonlyPaths;
        public List<DeviceRequest> deviceRequests;
        public Boolean oomKillDisable, init, autoRemove, privileged, publishAllPorts, readonlyRootfs;
        public List<Ulimit> ulimits;
        public LogConfig logConfig;
        public Map<String, List<PortBinding>> portBindings;
        public RestartPolicy restartPolicy;
        public List<Mount> mounts;
        public List<Integer> consoleSize;
        public Map<String, String> annotations, storageOpt, tmpfs, sysctls;

        public Builder() {}

        Builder(HostConfig h) {
            cpuShares = h.cpuShares; memory = h.memory; cgroupParent = h.cgroupParent; blkioWeight = h.blkioWeight;
            blkioWeightDevice = h.blkioWeightDevice; blkioDeviceReadBps = h.blkioDeviceReadBps;
            blkioDeviceWriteBps = h.blkioDeviceWriteBps; blkioDeviceReadIOps = h.blkioDeviceReadIOps;
            blkioDeviceWriteIOps = h.blkioDeviceWriteIOps; cpuPeriod = h.cpuPeriod; cpuQuota = h.cpuQuota;
            cpuRealtimePeriod = h.cpuRealtimePeriod; cpuRealtimeRuntime = h.cpuRealtimeRuntime;
            cpusetCpus = h.cpusetCpus; cpusetMems = h.cpusetMems; devices = h.devices;
            deviceCgroupRules = h.deviceCgroupRules; deviceRequests = h.deviceRequests;
            kernelMemoryTCP = h.kernelMemoryTCP; memoryReservation = h.memoryReservation; memorySwap = h.memorySwap;
            memorySwappiness = h.memorySwappiness; nanoCpus = h.nanoCpus; oomKillDisable = h.oomKillDisable;
            init = h.init; pidsLimit = h.pidsLimit; ulimits = h.ulimits; cpuCount = h.cpuCount;
            cpuPercent = h.cpuPercent; ioMaximumIOps = h.ioMaximumIOps; ioMaximumBandwidth = h.ioMaximumBandwidth;
            binds = h.binds; containerIdFile = h.containerIdFile; logConfig = h.logConfig;
            networkMode = h.networkMode; portBindings = h.portBindings; restartPolicy = h.restartPolicy;
            autoRemove = h.autoRemove; volumeDriver = h.volumeDriver; volumesFrom = h.volumesFrom;
            mounts = h.mounts; consoleSize = h.consoleSize; annotations = h.annotations; capAdd = h.capAdd;
            capDrop = h.capDrop; cgroupnsMode = h.cgroupnsMode; dns = h.dns; dnsOptions = h.dnsOptions;
            dnsSearch = h.dnsSearch; extraHosts = h.extraHosts; groupAdd = h.groupAdd; ipcMode = h.ipcMode;
            cgroup = h.cgroup; links = h.links; oomScoreAdj = h.oomScoreAdj; pidMode = h.pidMode;
            privileged = h.privileged; publishAllPorts = h.publishAllPorts; readonlyRootfs = h.readonlyRootfs;
            securityOpt = h.securityOpt; storageOpt = h.storageOpt; tmpfs = h.tmpfs; utsMode = h.utsMode;
            usernsMode = h.usernsMode; shmSize = h.shmSize; sysctls = h.sysctls; runtime = h.runtime;
            isolation = h.isolation; maskedPaths = h.maskedPaths; readonlyPaths = h.readonlyPaths;
        }

        public HostConfig build() {
            return new HostConfig(cpuShares, memory, cgroupParent, blkioWeight, blkioWeightDevice, blkioDeviceReadBps,
                    blkioDeviceWriteBps, blkioDeviceReadIOps, blkioDeviceWriteIOps, cpuPeriod, cpuQuota,
                    cpuRealtimePeriod, cpuRealtimeRuntime, cpusetCpus, cpusetMems, devices, deviceCgroupRules,
                    deviceRequests, kernelMemoryTCP, memoryReservation, memorySwap, memorySwappiness, nanoCpus,
                    oomKillDisable, init, pidsLimit, ulimits, cpuCount, cpuPercent, ioMaximumIOps, ioMaximumBandwidth,
                    binds, containerIdFile, logConfig, networkMode, portBindings, restartPolicy, autoRemove,
                    volumeDriver, volumesFrom, mounts, consoleSize, annotations, capAdd, capDrop, cgroupnsMode, dns,
                    dnsOptions, dnsSearch, extraHosts, groupAdd, ipcMode, cgroup, links, oomScoreAdj, pidMode,
                    privileged, publishAllPorts, readonlyRootfs, securityOpt, storageOpt, tmpfs, utsMode, usernsMode,
                    shmSize, sysctls, runtime, isolation, maskedPaths, readonlyPaths);
        }
    }
}
