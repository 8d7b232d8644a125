package io.berth.client;

/** The daemon's socket could not be reached. */
public final class DaemonUnavailableException extends RuntimeException {
    private final String host;

    public DaemonUnavailableException(String host, Throwable cause) {
        super("Cannot connect to the Berth daemon at " + host + ". Is the berth daemon running?", cause);
        this.host = host;
    }

    public String host() { return host; }
}
