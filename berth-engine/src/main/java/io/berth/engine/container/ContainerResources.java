package io.berth.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerTopResponse;
import io.berth.api.container.HostConfig;
import io.berth.engine.service.ContainerResourceService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.runtime.OciCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code top}, {@code stats} and {@code update} over a running container's cgroup (found through
 * its bundle's {@code linux.cgroupsPath}, cgroup v1, v2 or hybrid) and {@code runc update}.
 */
public final class ContainerResources implements ContainerResourceService {
    private static final long MIN_MEMORY = 6 * 1024 * 1024;

    private final ContainerStore store;
    private final ContainerRootfs rootfs;
    private final ContainerLifecycle lifecycle;
    private final EventBus events;
    private final OciCommands runc;
    private final CgroupStats cgroups;

    public ContainerResources(ContainerStore store, ContainerRootfs rootfs, ContainerLifecycle lifecycle, EventBus events, OciCommands runc) {
        this(store, rootfs, lifecycle, events, runc, new CgroupStats(Path.of("/sys/fs/cgroup")));
    }

    ContainerResources(ContainerStore store, ContainerRootfs rootfs, ContainerLifecycle lifecycle, EventBus events, OciCommands runc,
                       CgroupStats cgroups) {
        this.store = store;
        this.rootfs = rootfs;
        this.lifecycle = lifecycle;
        this.events = events;
        this.runc = runc;
        this.cgroups = cgroups;
    }

    private Container running(String ref) {
        Container c = store.require(ref);
        ContainerStatus s = c.state().status();
        if (s == ContainerStatus.RESTARTING) {
            throw new BerthException.Conflict("Container " + c.id() + " is restarting, wait until the container is running");
        }
        if (!s.isRunning()) throw new BerthException.Conflict("container " + c.id() + " is not running");
        return c;
    }

    /** The container's cgroup path relative to each hierarchy's root (its bundle's {@code linux.cgroupsPath}). */
    private String cgroupPath(Container c) {
        try {
            JsonNode spec = Json.plain().readTree(rootfs.bundle(c.id()).resolve("config.json").toFile());
            String p = spec.path("linux").path("cgroupsPath").asText("");
            if (!p.isEmpty()) return p.startsWith("/") ? p.substring(1) : p;
        } catch (IOException e) {
            // fall through to the default layout
        }
        return "berth/" + c.id();
    }

    // ---- top ----

    @Override public ContainerTopResponse top(String ref, String psArgs) {
        Container c = running(ref);
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        Set<Integer> pids = cgroups.pids(cgroupPath(c));
        List<String> argv = new ArrayList<>();
        argv.add("ps");
        for (String a : args.split(" ")) if (!a.isEmpty()) argv.add(a);
        String out;
        try {
            out = runPs(argv);
        } catch (IOException e) {
            throw new BerthException.SystemError("Error running ps: " + e.getMessage(), e);
        }
        return parsePs(out, pids);
    }

    private static String runPs(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] err;
        byte[] out;
        try (var os = p.getInputStream(); var es = p.getErrorStream()) {
            CompletableFuture<byte[]> errF = CompletableFuture.supplyAsync(() -> {
                try {
                    return es.readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            out = os.readAllBytes();
            err = errF.join();
        }
        try {
            if (p.waitFor() != 0) {
                throw new IOException("exit status " + p.exitValue() + ": " + new String(err, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** moby's parsePSOutput: the header's fields are the titles; rows whose PID is in the container; the last column keeps its spaces. */
    static ContainerTopResponse parsePs(String output, Set<Integer> pids) {
        String[] lines = output.split("\n");
        List<String> titles = lines.length == 0 ? List.of() : List.of(lines[0].trim().split("\\s+"));
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) throw new BerthException.SystemError("Couldn't find PID field in ps output", null);
        List<List<String>> procs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            if (f.length <= pidIndex) continue;
            int pid;
            try {
                pid = Integer.parseInt(f[pidIndex]);
            } catch (NumberFormatException e) {
                throw new BerthException.SystemError("Unexpected pid '" + f[pidIndex] + "': " + e.getMessage(), e);
            }
            if (!pids.contains(pid)) continue;
            List<String> row = new ArrayList<>();
            int n = titles.size();
            for (int k = 0; k < n - 1 && k < f.length; k++) row.add(f[k]);
            if (f.length >= n) row.add(String.join(" ", List.of(f).subList(n - 1, f.length)));
            procs.add(row);
        }
        return new ContainerTopResponse(titles, procs);
    }

    // ---- stats ----

    @Override public void stats(String ref, boolean stream, boolean oneShot, Consumer<ContainerStats> sink, CompletableFuture<?> stop) {
        Container c = store.require(ref);
        String name = "/" + c.name();
        if (!c.state().status().isRunning()) {
            // dockerd answers a stopped container with one all-zero object (stream or not)
            sink.accept(CgroupStats.empty(c.id(), name));
            return;
        }
        String path = cgroupPath(c);
        CompletableFuture<?> end = new CompletableFuture<>();
        stop.whenComplete((r, e) -> end.complete(null));
        lifecycle.await(c.id(), "not-running").whenComplete((r, e) -> end.complete(null));
        if (!stream && !oneShot) {
            // only the precpu of the answer a second later: the CPU counters are all it needs
            CgroupStats.Sample prev = cgroups.cpuSample(path);
            if (sleep(end, 1000)) return;
            CgroupStats.Sample cur = cgroups.sample(path);
            sink.accept(NetDevStats.withNetworks(cgroups.render(c.id(), name, cur, prev), c));
            return;
        }
        CgroupStats.Sample prev = cgroups.sample(path);
        sink.accept(NetDevStats.withNetworks(cgroups.render(c.id(), name, prev, null), c));
        if (!stream) return; // one-shot: one reading, no precpu
        while (!end.isDone()) {
            if (sleep(end, 1000)) return;
            if (!store.get(c.id()).map(x -> x.state().status().isRunning()).orElse(false)) return;
            CgroupStats.Sample cur = cgroups.sample(path);
            sink.accept(NetDevStats.withNetworks(cgroups.render(c.id(), name, cur, prev), c));
            prev = cur;
        }
    }

    /** Sleeps {@code ms}; true when {@code end} completed meanwhile. */
    private static boolean sleep(CompletableFuture<?> end, long ms) {
        try {
            end.get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        }
    }

    // ---- update ----

    @Override public List<String> update(String ref, HostConfig u) {
        Container c = store.require(ref);
        if (u == null) return List.of();
        HostConfig h = c.hostConfig();
        if (u.memory() != null && u.memory() != 0 && u.memory() < MIN_MEMORY) {
            throw new BerthException.InvalidArgument("Minimum memory limit allowed is 6MB");
        }
        long memory = u.memory() != null && u.memory() != 0 ? u.memory() : nz(h.memory());
        if (u.memorySwap() != null && u.memorySwap() > 0 && memory > 0 && u.memorySwap() < memory) {
            throw new BerthException.InvalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (u.memory() != null && u.memory() > 0 && (u.memorySwap() == null || u.memorySwap() == 0)
                && nz(h.memorySwap()) > 0 && u.memory() > h.memorySwap()) {
            throw new BerthException.InvalidArgument(
                    "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
        if (u.nanoCpus() != null && u.nanoCpus() != 0 && nz(h.cpuQuota()) > 0 && (u.cpuQuota() == null || u.cpuQuota() == 0)) {
            throw new BerthException.InvalidArgument("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        }
        if (u.cpuQuota() != null && u.cpuQuota() != 0 && nz(h.nanoCpus()) > 0 && (u.nanoCpus() == null || u.nanoCpus() == 0)) {
            throw new BerthException.InvalidArgument("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }
        ContainerValidation.restartPolicy(u.restartPolicy());
        if (u.restartPolicy() != null && u.restartPolicy().name() != null && !u.restartPolicy().name().isEmpty()
                && !"no".equals(u.restartPolicy().name()) && Boolean.TRUE.equals(h.autoRemove())) {
            throw new BerthException.InvalidArgument("Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
        HostConfig.Builder b = h.toBuilder();
        if (set(u.blkioWeight())) b.blkioWeight = u.blkioWeight();
        if (set(u.cpuShares())) b.cpuShares = u.cpuShares();
        if (set(u.cpuPeriod())) b.cpuPeriod = u.cpuPeriod();
        if (set(u.cpuQuota())) b.cpuQuota = u.cpuQuota();
        if (set(u.nanoCpus())) b.nanoCpus = u.nanoCpus();
        if (u.cpusetCpus() != null && !u.cpusetCpus().isEmpty()) b.cpusetCpus = u.cpusetCpus();
        if (u.cpusetMems() != null && !u.cpusetMems().isEmpty()) b.cpusetMems = u.cpusetMems();
        if (set(u.memory())) b.memory = u.memory();
        if (set(u.memoryReservation())) b.memoryReservation = u.memoryReservation();
        if (set(u.memorySwap())) b.memorySwap = u.memorySwap();
        if (set(u.kernelMemoryTCP())) b.kernelMemoryTCP = u.kernelMemoryTCP();
        if (set(u.pidsLimit())) b.pidsLimit = u.pidsLimit();
        if (u.restartPolicy() != null && u.restartPolicy().name() != null && !u.restartPolicy().name().isEmpty()) {
            b.restartPolicy = u.restartPolicy();
        }
        HostConfig merged = b.build();
        ContainerStatus s = c.state().status();
        if (s.isRunning()) {
            ObjectNode res = resourcesJson(u);
            if (!res.isEmpty()) {
                Path f = rootfs.bundle(c.id()).resolve("update.json");
                try {
                    Files.write(f, Json.plain().writeValueAsBytes(res));
                    runc.update(c.id(), f);
                } catch (IOException e) {
                    throw new BerthException.SystemError("Cannot update container " + c.id() + ": " + e.getMessage(), e);
                } catch (BerthException e) {
                    throw new BerthException.SystemError("Cannot update container " + c.id() + ": " + e.getMessage(), e);
                } finally {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // the bundle is recreated at the next start
                    }
                }
            }
        }
        store.update(c.id(), x -> x.withHostConfig(merged));
        events.publish("container", "update", c.id(), LocalContainerService.attributes(c));
        return List.of();
    }

    private static boolean set(Number n) { return n != null && n.longValue() != 0; }

    private static long nz(Long v) { return v == null ? 0 : v; }

    /** The OCI {@code linux.resources} for {@code runc update} from the fields the request sets. */
    static ObjectNode resourcesJson(HostConfig u) {
        ObjectNode r = Json.plain().createObjectNode();
        if (set(u.memory()) || set(u.memorySwap()) || set(u.memoryReservation())) {
            ObjectNode m = r.putObject("memory");
            if (set(u.memory())) m.put("limit", u.memory());
            if (set(u.memoryReservation())) m.put("reservation", u.memoryReservation());
            if (set(u.memorySwap())) m.put("swap", u.memorySwap());
        }
        boolean cpu = set(u.cpuShares()) || set(u.cpuQuota()) || set(u.cpuPeriod()) || set(u.nanoCpus())
                || (u.cpusetCpus() != null && !u.cpusetCpus().isEmpty()) || (u.cpusetMems() != null && !u.cpusetMems().isEmpty());
        if (cpu) {
            ObjectNode c = r.putObject("cpu");
            if (set(u.cpuShares())) c.put("shares", u.cpuShares());
            if (set(u.nanoCpus())) {
                long period = set(u.cpuPeriod()) ? u.cpuPeriod() : 100_000;
                c.put("period", period);
                c.put("quota", u.nanoCpus() * period / 1_000_000_000L);
            } else {
                if (set(u.cpuQuota())) c.put("quota", u.cpuQuota());
                if (set(u.cpuPeriod())) c.put("period", u.cpuPeriod());
            }
            if (u.cpusetCpus() != null && !u.cpusetCpus().isEmpty()) c.put("cpus", u.cpusetCpus());
            if (u.cpusetMems() != null && !u.cpusetMems().isEmpty()) c.put("mems", u.cpusetMems());
        }
        if (set(u.pidsLimit())) r.putObject("pids").put("limit", u.pidsLimit() > 0 ? u.pidsLimit() : -1);
        if (set(u.blkioWeight())) r.putObject("blockIO").put("weight", u.blkioWeight());
        return r;
    }

    /** For tests: the pids of a cgroup path. */
    Set<Integer> pidsOf(Container c) { return new HashSet<>(cgroups.pids(cgroupPath(c))); }
}
