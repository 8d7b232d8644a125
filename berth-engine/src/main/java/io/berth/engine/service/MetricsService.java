package io.berth.engine.service;

import java.io.IOException;
import java.io.OutputStream;

/** The engine's metrics as a Prometheus scrape sees them (served at {@code /metrics} on {@code --metrics-addr}). */
public interface MetricsService {
    /** The exposition format's content type. */
    String contentType();

    /** Writes every metric's current value. */
    void write(OutputStream out) throws IOException;
}
