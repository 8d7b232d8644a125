package io.berth.server.http;

/** A malformed or oversized request detected by the codec; carries the status to answer with. */
public final class HttpProtocolException extends RuntimeException {
    private final int status;

    public HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }
}
