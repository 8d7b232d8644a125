package io.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags {@code create} and {@code run} share, and docker's translation of them into a create request. */
final class RunOptions {
    @Option(names = {"-a", "--attach"}, description = "Attach to STDIN, STDOUT or STDERR") List<String> attach = new ArrayList<>();
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached") boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY") boolean tty;
    @Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits") boolean autoRemove;
    @Option(names = "--name", description = "Assign a name to the container") String name;
    @Option(names = {"-e", "--env"}, description = "Set environment variables") List<String> env = new ArrayList<>();
    @Option(names = "--env-file", description = "Read in a file of environment variables") List<String> envFile = new ArrayList<>();
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container") String workdir;
    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])") String user;
    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image") String entrypoint;
    @Option(names = {"-h", "--hostname"}, description = "Container host name") String hostname;
    @Option(names = "--domainname", description = "Container NIS domain name") String domainname;
    @Option(names = {"-l", "--label"}, description = "Set meta data on a container") List<String> labels = new ArrayList<>();
    @Option(names = "--restart", description = "Restart policy to apply when a container exits", defaultValue = "no") String restart;
    @Option(names = "--stop-signal", description = "Signal to stop the container") String stopSignal;
    @Option(names = "--stop-timeout", converter = Opts.Int32.class, description = "Timeout (in seconds) to stop a container") Integer stopTimeout;
    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes") Boolean init;
    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only") boolean readOnly;
    @Option(names = "--privileged", description = "Give extended privileges to this container") boolean privileged;
    @Option(names = "--cap-add", description = "Add Linux capabilities") List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", description = "Drop Linux capabilities") List<String> capDrop = new ArrayList<>();
    @Option(names = "--security-opt", description = "Security Options") List<String> securityOpt = new ArrayList<>();
    @Option(names = "--group-add", description = "Add additional groups to join") List<String> groupAdd = new ArrayList<>();
    @Option(names = {"-m", "--memory"}, converter = Opts.Mem.class, description = "Memory limit") Long memory;
    @Option(names = "--memory-swap", converter = Opts.MemSwap.class, description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap") Long memorySwap;
    @Option(names = "--memory-reservation", converter = Opts.Mem.class, description = "Memory soft limit") Long memoryReservation;
    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer") boolean oomKillDisable;
    @Option(names = "--cpus", converter = Opts.Cpus.class, description = "Number of CPUs") Long nanoCpus;
    @Option(names = {"-c", "--cpu-shares"}, converter = Opts.Int64.class, description = "CPU shares (relative weight)") Long cpuShares;
    @Option(names = "--cpu-period", converter = Opts.Int64.class, description = "Limit CPU CFS (Completely Fair Scheduler) period") Long cpuPeriod;
    @Option(names = "--cpu-quota", converter = Opts.Int64.class, description = "Limit CPU CFS (Completely Fair Scheduler) quota") Long cpuQuota;
    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)") String cpusetCpus;
    @Option(names = "--cpuset-mems", description = "MEMs in which to allow execution (0-3, 0,1)") String cpusetMems;
    @Option(names = "--pids-limit", converter = Opts.Int64.class, description = "Tune container pids limit (set -1 for unlimited)") Long pidsLimit;
    @Option(names = "--blkio-weight", converter = Opts.Uint16.class, description = "Block IO (relative weight), between 10 and 1000, or 0 to disable") Integer blkioWeight;
    @Option(names = "--ulimit", converter = Opts.UlimitConv.class, description = "Ulimit options") List<Opts.Ulimit> ulimits = new ArrayList<>();
    @Option(names = "--shm-size", converter = Opts.Mem.class, description = "Size of /dev/shm") Long shmSize;
    @Option(names = "--device", description = "Add a host device to the container") List<String> devices = new ArrayList<>();
    @Option(names = {"--network", "--net"}, description = "Connect a container to a network") String network;
    @Option(names = {"--network-alias", "--net-alias"}, description = "Add network-scoped alias for the container") List<String> aliases = new ArrayList<>();
    @Option(names = "--log-driver", description = "Logging driver for the container") String logDriver;
    @Option(names = "--log-opt", description = "Log driver options") List<String> logOpts = new ArrayList<>();
    @Option(names = {"-v", "--volume"}, description = "Bind mount a volume") List<String> volumes = new ArrayList<>();
    @Option(names = "--volumes-from", description = "Mount volumes from the specified container(s)") List<String> volumesFrom = new ArrayList<>();
    @Option(names = {"-p", "--publish"}, description = "Publish a container's port(s) to the host") List<String> publish = new ArrayList<>();
    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports") boolean publishAll;
    @Option(names = "--expose", description = "Expose a port or a range of ports") List<String> expose = new ArrayList<>();
    @Option(names = "--add-host", converter = Opts.HostConv.class, description = "Add a custom host-to-IP mapping (host:ip)") List<String> addHosts = new ArrayList<>();
    @Option(names = "--dns", description = "Set custom DNS servers") List<String> dns = new ArrayList<>();
    @Option(names = "--dns-search", description = "Set custom DNS search domains") List<String> dnsSearch = new ArrayList<>();
    @Option(names = "--dns-option", description = "Set DNS options") List<String> dnsOptions = new ArrayList<>();
    @Option(names = "--tmpfs", description = "Mount a tmpfs directory") List<String> tmpfs = new ArrayList<>();
    @Option(names = "--pull", description = "Pull image before running (\"always\", \"missing\", \"never\")", defaultValue = "missing") String pull;
    @Option(names = {"-q", "--quiet"}, description = "Suppress the pull output") boolean quiet;
    @Option(names = "--platform", description = "Set platform if server is multi-platform capable") String platform;

    /** What create needs besides the body. */
    record Spec(String name, String image, ObjectNode body, boolean attachStdin, boolean attachStdout, boolean attachStderr,
                boolean tty, boolean openStdin, Opts.RestartPolicy restart) {}

    /** docker's parse(): builds Config, HostConfig and NetworkingConfig. */
    Spec build(Cli cli, List<String> args, boolean detach) {
        String image = args.getFirst();
        List<String> cmd = args.subList(1, args.size());
        for (String a : attach) {
            String s = a.toLowerCase();
            if (!s.equals("stdin") && !s.equals("stdout") && !s.equals("stderr"))
                throw new Opts.InvalidValue("valid streams are STDIN, STDOUT and STDERR");
        }
        boolean attachStdin = attach.stream().anyMatch(a -> a.equalsIgnoreCase("stdin")) || interactive;
        boolean attachStdout = attach.isEmpty() || attach.stream().anyMatch(a -> a.equalsIgnoreCase("stdout"));
        boolean attachStderr = attach.isEmpty() || attach.stream().anyMatch(a -> a.equalsIgnoreCase("stderr"));
        if (detach) {
            attachStdin = attachStdout = attachStderr = false;
        }
        Opts.RestartPolicy policy = Opts.restartPolicy(restart);
        if (autoRemove && !policy.isNone()) throw new Opts.InvalidValue("conflicting options: cannot specify both --restart and --rm");

        List<String> envs = new ArrayList<>();
        for (String f : envFile) envs.addAll(Opts.envFile(f, cli.env));
        for (String e : env) {
            try {
                envs.add(Opts.env(e, cli.env));
            } catch (Opts.FlagValueException x) {
                throw new Opts.InvalidValue(x.getMessage());
            }
        }
        List<String> ports = new ArrayList<>(publish);
        Opts.Ports parsed = Opts.ports(ports);
        Map<String, Map<String, Object>> exposed = new java.util.LinkedHashMap<>(parsed.exposed());
        for (String e : expose) {
            String proto = "tcp", p = e;
            int slash = p.indexOf('/');
            if (slash >= 0) {
                proto = p.substring(slash + 1);
                p = p.substring(0, slash);
            }
            Opts.Ports one = Opts.ports(List.of(p + "/" + proto));
            one.exposed().keySet().forEach(k -> exposed.putIfAbsent(k, Map.of()));
        }
        List<String> binds = new ArrayList<>();
        Map<String, Object> anonVolumes = new java.util.LinkedHashMap<>();
        for (String v : volumes) {
            String[] parts = v.split(":", -1);
            if (parts.length == 1) anonVolumes.put(v, Map.of());
            else if (parts.length <= 3 && !parts[0].isEmpty() && !parts[1].isEmpty()) binds.add(v);
            else throw new Opts.InvalidValue("invalid volume specification: '" + v + "'");
        }
        List<String> secOpts = new ArrayList<>();
        for (String s : securityOpt) secOpts.add(Opts.securityOpt(s));

        var json = Json.wire();
        ObjectNode c = json.createObjectNode();
        c.put("Hostname", hostname == null ? "" : hostname);
        c.put("Domainname", domainname == null ? "" : domainname);
        c.put("User", user == null ? "" : user);
        c.put("AttachStdin", attachStdin);
        c.put("AttachStdout", attachStdout);
        c.put("AttachStderr", attachStderr);
        if (!exposed.isEmpty()) c.set("ExposedPorts", json.valueToTree(exposed));
        c.put("Tty", tty);
        c.put("OpenStdin", interactive);
        c.put("StdinOnce", interactive && attachStdin && !detach);
        c.set("Env", strings(envs));
        if (cmd.isEmpty()) c.putNull("Cmd");
        else c.set("Cmd", strings(cmd));
        c.put("Image", image);
        if (anonVolumes.isEmpty()) c.putNull("Volumes");
        else c.set("Volumes", json.valueToTree(anonVolumes));
        c.put("WorkingDir", workdir == null ? "" : workdir);
        if (entrypoint != null) c.set("Entrypoint", strings(List.of(entrypoint)));
        else c.putNull("Entrypoint");
        c.putNull("OnBuild");
        c.set("Labels", json.valueToTree(Opts.kv(labels)));
        if (stopSignal != null) c.put("StopSignal", stopSignal);
        if (stopTimeout != null) c.put("StopTimeout", stopTimeout);

        ObjectNode h = c.putObject("HostConfig");
        h.set("Binds", binds.isEmpty() ? json.nullNode() : strings(binds));
        h.put("ContainerIDFile", "");
        ObjectNode log = h.putObject("LogConfig");
        log.put("Type", logDriver == null ? "" : logDriver);
        log.set("Config", json.valueToTree(Opts.kv(logOpts)));
        h.put("NetworkMode", network == null ? "default" : network);
        ObjectNode pb = h.putObject("PortBindings");
        parsed.bindings().forEach((port, list) -> {
            ArrayNode a = pb.putArray(port);
            for (Opts.PortBinding b : list) a.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort());
        });
        h.set("RestartPolicy", json.valueToTree(policy.toJson()));
        h.put("AutoRemove", autoRemove);
        h.put("VolumeDriver", "");
        h.set("VolumesFrom", volumesFrom.isEmpty() ? json.nullNode() : strings(volumesFrom));
        h.set("CapAdd", capAdd.isEmpty() ? json.nullNode() : strings(capAdd));
        h.set("CapDrop", capDrop.isEmpty() ? json.nullNode() : strings(capDrop));
        h.put("CgroupnsMode", "");
        h.set("Dns", strings(dns));
        h.set("DnsOptions", strings(dnsOptions));
        h.set("DnsSearch", strings(dnsSearch));
        h.set("ExtraHosts", addHosts.isEmpty() ? json.nullNode() : strings(addHosts));
        h.set("GroupAdd", groupAdd.isEmpty() ? json.nullNode() : strings(groupAdd));
        h.put("IpcMode", "");
        h.put("Cgroup", "");
        h.putNull("Links");
        h.put("OomScoreAdj", 0);
        h.put("PidMode", "");
        h.put("Privileged", privileged);
        h.put("PublishAllPorts", publishAll);
        h.put("ReadonlyRootfs", readOnly);
        h.set("SecurityOpt", secOpts.isEmpty() ? json.nullNode() : strings(secOpts));
        if (!tmpfs.isEmpty()) {
            ObjectNode t = h.putObject("Tmpfs");
            for (String s : tmpfs) {
                int colon = s.indexOf(':');
                t.put(colon < 0 ? s : s.substring(0, colon), colon < 0 ? "" : s.substring(colon + 1));
            }
        }
        h.put("UTSMode", "");
        h.put("UsernsMode", "");
        h.put("ShmSize", shmSize == null ? 0 : shmSize);
        h.put("ConsoleSize", json.createArrayNode().add(0).add(0));
        h.put("Isolation", "");
        h.put("CpuShares", cpuShares == null ? 0 : cpuShares);
        h.put("Memory", memory == null ? 0 : memory);
        h.put("NanoCpus", nanoCpus == null ? 0 : nanoCpus);
        h.put("CgroupParent", "");
        h.put("BlkioWeight", blkioWeight == null ? 0 : blkioWeight);
        h.put("CpuPeriod", cpuPeriod == null ? 0 : cpuPeriod);
        h.put("CpuQuota", cpuQuota == null ? 0 : cpuQuota);
        h.put("CpusetCpus", cpusetCpus == null ? "" : cpusetCpus);
        h.put("CpusetMems", cpusetMems == null ? "" : cpusetMems);
        ArrayNode devs = h.putArray("Devices");
        for (String d : devices) {
            try {
                devs.add(json.valueToTree(Opts.device(d)));
            } catch (Opts.FlagValueException e) {
                throw new Opts.InvalidValue(e.getMessage());
            }
        }
        h.put("MemoryReservation", memoryReservation == null ? 0 : memoryReservation);
        h.put("MemorySwap", memorySwap == null ? 0 : memorySwap);
        h.put("OomKillDisable", oomKillDisable);
        if (pidsLimit != null) h.put("PidsLimit", pidsLimit);
        else h.putNull("PidsLimit");
        ArrayNode ul = h.putArray("Ulimits");
        for (Opts.Ulimit u : ulimits) ul.add(json.valueToTree(u.toJson()));
        if (init != null) h.put("Init", init);

        ObjectNode n = c.putObject("NetworkingConfig").putObject("EndpointsConfig");
        if (network != null && !network.equals("default") && !network.equals("host") && !network.equals("none") && !network.startsWith("container:")) {
            ObjectNode ep = n.putObject(network);
            ep.set("Aliases", aliases.isEmpty() ? json.nullNode() : strings(aliases));
        }
        return new Spec(name, image, c, attachStdin, attachStdout, attachStderr, tty, interactive, policy);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.wire().createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
