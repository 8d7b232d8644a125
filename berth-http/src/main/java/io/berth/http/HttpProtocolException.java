package io.berth.http;

/**
 * A message that breaks HTTP/1.1 or the codec's limits (malformed or oversized heads, bad
 * framing), or a request no route matches; carries the status a server answers with.
 */
public final class HttpProtocolException extends RuntimeException {
    private final int status;

    public HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }
}
