package io.berth.registry;

import io.berth.registry.storage.BlobStore;
import io.berth.registry.storage.Repositories;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The registry's counters, served at {@code /metrics} in Prometheus' text format. */
public final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final BlobStore blobs;
    private final Repositories repos;

    public Metrics(BlobStore blobs, Repositories repos) {
        this.blobs = blobs;
        this.repos = repos;
    }

    public void request(String method, int status) {
        requests.computeIfAbsent(method + "\u0000" + status, k -> new LongAdder()).increment();
    }

    public void in(long n) { bytesIn.add(n); }

    public void out(long n) { bytesOut.add(n); }

    /** The exposition text. */
    public String render() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("# HELP berth_registry_requests_total HTTP requests by method and status.\n");
        sb.append("# TYPE berth_registry_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] p = k.split("\u0000");
            sb.append("berth_registry_requests_total{method=\"").append(p[0]).append("\",status=\"").append(p[1])
                    .append("\"} ").append(v.sum()).append('\n');
        });
        metric(sb, "berth_registry_bytes_received_total", "counter", "Bytes of blobs and manifests received.", bytesIn.sum());
        metric(sb, "berth_registry_bytes_sent_total", "counter", "Bytes of blobs and manifests sent.", bytesOut.sum());
        metric(sb, "berth_registry_storage_bytes", "gauge", "Bytes of stored blobs.", blobs.bytes());
        metric(sb, "berth_registry_storage_blobs", "gauge", "Stored blobs.", blobs.count());
        metric(sb, "berth_registry_repositories", "gauge", "Repositories.", repos.names().size());
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }
}
