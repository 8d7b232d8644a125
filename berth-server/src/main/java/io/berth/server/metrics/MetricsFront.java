package io.berth.server.metrics;

import io.berth.api.Json;
import io.berth.engine.service.MetricsService;
import io.berth.http.Headers;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import io.berth.server.http.ErrorMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * dockerd's metrics listener ({@code --metrics-addr}, daemon.json {@code metrics-addr}): plain HTTP on its own TCP
 * address, {@code GET /metrics} in Prometheus' text format, nothing else. Off unless configured, as in dockerd.
 */
public final class MetricsFront implements AutoCloseable {
    private final HttpServer server;

    public MetricsFront(MetricsService metrics) {
        Router routes = Router.builder().get("/metrics", (req, res) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            metrics.write(out);
            res.send(200, metrics.contentType(), out.toByteArray());
        }).build();
        this.server = new HttpServer(routes, new Headers(), new ErrorMapper(), Json.wire());
    }

    /** Starts serving on {@code address}; returns the address bound (its port, when 0 was asked). */
    public SocketAddress listen(SocketAddress address) throws IOException { return server.listen(address); }

    @Override public void close() { server.close(); }
}
